# Internet at the terminal
section-internet = Internet
internet-intro = Browse the internet at this terminal. When your session ends everything is deleted: the pages you saw, what you typed and what you downloaded.
internet-no-sites = The centre has not chosen recommended sites yet.
internet-browsing = The browser is open. "Back to Plaza" puts it aside and "Back to the internet" brings it back. When the session ends, everything you did on the internet is deleted.
internet-back-to-plaza = Back to Plaza
internet-missing = The internet is not available at this terminal right now. Please tell the centre's staff.
internet-failed = We could not open the browser. Try again in a moment or tell the centre's staff.
open-here = Open here
internet-resume = Back to the internet
