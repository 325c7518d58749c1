# Catalogue screens: procedures, tenders, networks.

catalogue-home = Home

# Procedures: tiles and search
procedures-search-placeholder = Type the procedure you are looking for, e.g. "licence"
procedures-choose = Choose a topic, or type above what you are looking for.
procedures-none-title = We found no procedures with those words
procedures-none-body = Try other words, shorter or not abbreviated, or choose one of these topics:
procedures-corrected = Showing results for "{ $words }".
procedures-count = { $count ->
    [one] 1 procedure
   *[other] { $count } procedures
}

# One procedure
procedure-what = What it is
procedure-bring = What to bring
requirement-document = Document
requirement-condition = Condition
procedure-cost = What it costs
cost-free = Free
cost-varies = It depends: { $why }
procedure-where = Where and when
hours-today = Today: { $hours }
hours-closed-today = Closed today
hours-open-now = Open now
hours-closed-now = Closed now
procedure-time = How long it takes
procedure-steps = Step by step
procedure-other-ways = Other ways to do it
procedure-online = You can continue on your phone: scan the code with its camera.
procedure-phone = Phone: { $number }
procedure-agency = Responsible: { $agency }
procedure-legal = Legal basis: { $law }
procedure-reviewed = Information reviewed on { $date }

# Tenders
tenders-all = All
tender-status-open = Open
tender-status-closed = Closed
tender-status-awarded = Awarded
tender-status-cancelled = Cancelled
tenders-none = There are no tenders in this list.
tender-closes-in = { $days ->
    [0] Closes today
    [one] Closes tomorrow
   *[other] Closes in { $days } days
}
tender-deadline-passed = The deadline for bids has passed
tender-is-closed = Closed: bids under evaluation
tender-is-awarded = Awarded
tender-is-cancelled = Cancelled
tender-reference = File number: { $value }
tender-buyer = Buyer: { $value }
tender-category = Type: { $value }
tender-published = Published on { $value }
tender-questions-until = Questions until: { $value }
tender-submissions-until = Bids until: { $value }
tender-opening = Opening of bids: { $value }
tender-budget = Official budget: { $value }
tender-award = Award
tender-supplier = Awarded to: { $value }
tender-amount = Amount: { $value }
tender-award-date = Date: { $value }
tender-documents = Documents
tender-documents-scan = Scan a code with your phone to open the document.

# Networks
networks-all = All
networks-none = There are no networks on this theme.
network-member-count = { $count ->
    [one] 1 municipality
   *[other] { $count } municipalities
}
network-coordinator = Coordinated by: { $name }
network-members = Member municipalities
network-joined = , since { $date }
network-join = How a municipality joins
network-contact = Contact
contact-email = Email: { $value }
contact-phone = Phone: { $value }
contact-website = Website: { $value }

# Maintenance menu
diag-catalogue = { $version ->
    [0] Catalogue: no copy from the manager yet
   *[other] Catalogue: version { $version }
}
