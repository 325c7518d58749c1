# Plaza kiosk texts citizens see (English).

attract-title = Plaza
attract-subtitle = Free internet in your neighbourhood
attract-start = Touch here to start
attract-ended = Your session ended and everything you did was erased.
staff = Staff

welcome-title = Choose your language
language-es = Español
language-en = English
accessibility-title = How would you like the screen?
large-text = Large text
high-contrast = High contrast
option-on = { $option }: on
option-off = { $option }: off
continue = Continue
back = Back

privacy-title = Your privacy
privacy-body = This kiosk does not ask for your name or your documents. We count anonymously which sections are used, to improve the service. When the session ends, everything you typed and saw is erased.
privacy-accept = Understood

survey-title = A few quick questions
survey-intro = They are optional and anonymous. You can skip them.
survey-age = Age
age-under_18 = Under 18
age-18_29 = 18 to 29
age-30_44 = 30 to 44
age-45_59 = 45 to 59
age-60_74 = 60 to 74
age-75_plus = 75 or over
survey-gender = Gender
gender-woman = Woman
gender-man = Man
gender-non_binary = Non-binary
prefer-not-to-say = Prefer not to say
survey-first-time = Is this your first time using the internet?
answer-yes = Yes
answer-no = No
survey-neighbourhood = Which neighbourhood do you live in?
survey-skip = Skip
survey-send = Send

home-title = What would you like to do?
section-procedures = Procedures
section-tenders = Tenders
section-networks = Municipal networks
section-forums = Forums
section-communities = Communities
section-help = Help
end-session = End session

time-left = Time: { $time }
offline = Offline
warning-title = { $minutes ->
    [one] 1 minute left
   *[other] { $minutes } minutes left
}
warning-body = Keep what you need. When time runs out, everything will be erased.
more-time = More time
keep-going = Keep going
still-there-title = Are you still there?
still-there-body = The session will end in { $seconds } seconds.
still-here = I am here
supervisor-message-title = Message from staff
ok = OK
locked-title = Kiosk under maintenance
locked-body = Please ask the centre's staff for help.

help-title = Help
help-body = Touch a button to open it. At the top you see the time you have left. If you need help, ask the centre's staff. When you finish, touch "End session": everything will be erased.
help-practice-title = Practise with the keyboard
help-practice-placeholder = Type here

pin-title = Staff PIN
pin-placeholder = PIN
pin-enter = Enter
pin-wrong = Wrong PIN
cancel = Cancel

# Maintenance (staff only)
maintenance-title = Maintenance
maintenance-exit = Exit the kiosk
maintenance-reenrol = Enrol again
maintenance-code-placeholder = Enrolment code
maintenance-enrolled = Enrolled at { $centre }
maintenance-close = Close
diag-manager = Manager: { $url }
diag-kiosk = Kiosk: { $id }
diag-outbox = Events waiting: { $count } (refused: { $dead })
diag-last-sync = Last sync: { $when }
diag-version = Version: { $version }
diag-never = never
diag-not-enrolled = not enrolled
diag-problem = Warning: { $problem }

# First enrolment (staff only)
enrol-title = Enrol this kiosk
enrol-body = Type the enrolment code from the management dashboard and check the manager's address.
enrol-code = Code
enrol-url = Manager
enrol-code-placeholder = K7QM-2XWD-9HRT
enrol-submit = Enrol
enrol-sending = Enrolling…
enrol-code-missing = Type the enrolment code.
enrol-code-malformed = That code is not in the right format: 12 letters and digits, like K7QM-2XWD-9HRT.
enrol-code-unknown = That code does not exist. Check it or ask for a new one in the dashboard.
enrol-code-used = That code was already used: each code enrols one kiosk. Ask for a new one.
enrol-code-expired = That code has expired. Ask for a new one in the dashboard.
enrol-unreachable = The manager could not be reached. Check the address and the network, and try again.
enrol-bad-url = The manager's address is not valid.
enrol-failed = The kiosk could not be enrolled.
