# Have a say: consultations and proposals
section-have-a-say = Have a say
say-intro = Give your opinion on what the municipality decides and propose ideas for your neighbourhood. Log in with your account to vote or support.
say-consultations = Consultations
say-no-consultations = There are no consultations for now.
say-proposals = Residents' proposals
say-no-proposals = There are no proposals yet.
say-write = Write a proposal
say-write-heading = Your proposal to the municipality
say-proposal-short = Tell us a little more: a proposal needs at least 10 letters.
say-proposal-published = Your proposal is published. When it gathers enough supports, the municipality must answer it.
say-proposal-held = We received your proposal. Someone from the team will review it before it is published.
say-opens-at = Opens on { $when }
say-closed-label = Closed
say-closes-in-days = Open · closes in { $count } days
say-closes-in-hours = Open · closes in { $count ->
    [one] 1 hour
   *[other] { $count } hours
}
say-closes-in-minutes = Open · closes in { $count ->
    [one] 1 minute
   *[other] { $count } minutes
}
say-you-voted = You have voted in this consultation.
say-scope-everyone = The whole municipality
say-scope-neighbourhoods = Neighbourhoods: { $names }
say-who-verified = verified residents vote
say-who-any-account = any account votes
say-choose-one = Choose one option.
say-choose-up-to = Choose up to { $count } options.
say-vote = Vote
say-confirm = You are voting for: { $choices }
say-confirm-final = Do you confirm your vote? It cannot be changed afterwards. The vote is secret: nobody can see what you chose.
say-change = Change
say-confirm-vote = Yes, vote
say-vote-recorded = Your vote was recorded. Thank you for taking part!
say-results-final = Final results
say-results-live = Results so far
say-results-later = The results are shown when the consultation closes.
say-ballots = { $count ->
    [one] 1 vote in all
   *[other] { $count } votes in all
}
say-option-votes = { $option }: { $count ->
    [one] 1 vote
   *[other] { $count } votes
} ({ $share } %)
say-any-account-note = Any account voted, verified or not.
say-turnout = Turnout by neighbourhood
say-not-verified-voters = Accounts not verified
say-suppressed = few people (not shown)
say-official-answer = The municipality's answer ({ $when })
say-status-evaluating = Being evaluated
say-status-accepted = Accepted
say-status-rejected = Rejected
say-status-in-progress = In progress
say-status-done = Done
say-supports = { $count } of { $threshold } supports
say-proposal-by = Proposal by { $author } · { $neighbourhood } · { $when }
say-support = Support this proposal
say-you-support = You support this proposal.
say-supported = Done! Your support was added.
say-awaiting-answer = It gathered enough supports: the municipality must answer it.
say-offline-body = Consultations and proposals need the connection to the municipality's server, and there is none right now.
say-not-verified = For this you need to be a verified resident. Ask the centre's staff: they look at your ID once and do not keep it.
say-out-of-scope = This consultation is for residents of other neighbourhoods.
say-already-voted = You have already voted in this consultation: one vote per person counts.
say-closed = This consultation has closed.
say-not-open = This consultation has not opened yet.
say-invalid-choices = Check the options you chose.
say-already-supported = You already support this proposal.
say-sign-in-first = To vote or support, log in with your account or create one. Your choice is kept.
