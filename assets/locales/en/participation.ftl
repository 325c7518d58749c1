# Participation screens: citizen accounts, forums, communities.

## Account

account-tab-sign-up = Create an account
account-tab-log-in = I have an account
account-sign-up-title = Create your account in a minute
account-log-in-title = Log in with your alias and PIN
account-privacy = We only ask for an alias and a PIN. No email, no documents.
account-alias = Alias
account-alias-placeholder = Your alias
account-pin = PIN
account-pin-placeholder = PIN of 4 to 8 digits
account-rules = An alias has { $alias_min } to { $alias_max } letters, digits, spaces, dots, dashes or underscores. A PIN has { $pin_min } to { $pin_max } digits.
account-create = Create my account
account-enter = Log in
account-sign-in = Log in or sign up
account-signed-in-as = Logged in as { $alias }
account-log-out = Log out
account-logged-out = You logged out of your account.
account-welcome = Hello, { $alias }. You can write now.
account-alias-too-short = That alias is too short: it needs at least 3 characters.
account-alias-too-long = That alias is too long: 24 characters at most.
account-alias-characters = An alias may only have letters, digits, single spaces, dots, dashes and underscores.
account-alias-letter = An alias needs at least one letter.
account-alias-taken = Someone else already uses that alias. Choose another.
account-alias-reserved = That alias is kept for municipal staff. Choose another.
account-alias-word = That alias contains a word that is not allowed. Choose another.
account-pin-rules = A PIN has 4 to 8 digits.
account-wrong = That alias and PIN do not match.
account-locked = This account is locked after too many wrong PINs. Try again at { $time }.
account-session-over = This session is over. Start a new one to log in.
account-login-ended = Your login ended. Log in again with your alias and PIN.

## Forums

forums-loading = Loading…
forums-boards-title = Local forums
forums-topic-boards = By topic
forums-neighbourhood-boards = By neighbourhood
forums-no-boards = There are no forums yet.
forums-thread-count = { $count ->
    [one] 1 conversation
   *[other] { $count } conversations
}
forums-new-thread = New conversation
forums-sign-in-to-write = To write, log in or create an account.
forums-sign-in-first = To write or report, log in or create an account.
forums-no-threads = No conversations yet. Start the first one!
forums-thread-meta = { $author } · { $count ->
    [one] 1 post
   *[other] { $count } posts
} · { $when }
forums-post-meta = { $author } · { $when }
forums-official = Official
forums-edited = edited
forums-more = Show more
forums-reply = Reply
forums-edit = Edit
forums-delete = Delete
forums-delete-confirm = Delete this post?
forums-delete-yes = Yes, delete
forums-deleted = Post deleted.
forums-deleted-done = Your post was deleted.
forums-under-review = This post is under review.
forums-under-review-mine = Under review: only you can see it for now.
forums-moderation-note = Reason: { $reason }
forums-sent = Your post was published.
forums-held-for-review = We got your post. It will be published once staff have reviewed it.
forums-rate-limited = You wrote many posts in a short time. You can write again at { $time }. Your text is kept.
forums-edit-window-closed = The time to change or delete this post has passed.
forums-send-offline = The municipal server cannot be reached. Your text is kept: try again in a moment.
forums-unexpected = Something went wrong. Try again in a moment.
forums-refused = That could not be done: { $message }
forums-offline-title = No connection
forums-offline-forums-body = Forums need the connection to the municipal server, and there is none right now.
forums-offline-communities-body = Communities need the connection to the municipal server, and there is none right now.
forums-offline-meanwhile = Meanwhile, these sections work without a connection:
forums-offline-retry = Try again

## Composing

composer-new-thread = New conversation in { $board }
composer-reply = Reply in “{ $thread }”
composer-edit = Edit your post
composer-title = Title
composer-title-placeholder = What would you like to talk about?
composer-body = Post
composer-body-placeholder = Write your post here
composer-count = { $count } of { $max } characters
composer-send = Publish
composer-retry = Try again
composer-title-short = The title needs at least 5 characters.
composer-empty = The post is empty.
composer-too-long = The post is too long: 4000 characters at most.
composer-unsent = You have a post that was not sent.
composer-open-unsent = Open the post

osk-shift = Shift
osk-shift-on = SHIFT
osk-space = Space
osk-backspace = Delete letter
osk-enter = Enter

## Reports

report-post = Report
report-title = Why are you reporting this post?
report-spam = Advertising or spam
report-offensive = Offensive
report-off-topic = Does not belong here
report-other = Another reason
report-details-placeholder = Tell us why
report-send = Send report
report-already = You already reported this post. Thank you.
report-thanks = Thank you. Staff will review your report.
report-thanks-hidden = Thank you. The post is hidden until staff review it.

## Communities

community-directory-title = Local communities
community-none = There are no communities yet.
community-members = { $count ->
    [one] 1 member
   *[other] { $count } members
}
community-category-neighbourhood = Neighbourhood association
community-category-producers = Producers
community-category-older-adults = Older adults
community-category-education = Education
community-category-culture = Culture
community-category-sports = Sports
community-category-youth = Youth
community-category-environment = Environment
community-category-health = Health
community-category-other = Other
community-you-are-member = You are a member
community-you-coordinate = You coordinate this community
community-waiting-approval = Waiting for a coordinator's approval.
community-needs-approval = To join, a coordinator must approve you.
community-join = Join
community-ask-to-join = Ask to join
community-leave = Leave the community
community-withdraw = Withdraw the request
community-sign-in-to-join = Log in to join
community-open-board = Community forum
community-coordinators = Coordinators: { $names }
community-announcements = Announcements
community-no-announcements = No announcements.
community-events = Upcoming events
community-no-events = No upcoming events.
community-event-when = { $when } · { $place }
community-join-to-write = Join this community to write on its forum.

## Deleting one's account
account-erase = Delete my account
account-pin-wrong = The PIN is not correct.
erase-title = Delete your account
erase-what-goes = Your alias, your logins and your communities are deleted. This cannot be undone.
erase-posts-question = What should happen to what you wrote?
erase-keep-unsigned = Keep it without my name
erase-remove-posts = Delete it too
erase-choose = Choose what happens to what you wrote.
erase-confirm = Delete my account
erase-done = Your account was deleted. Thank you for taking part.
forums-deleted-account = deleted account
