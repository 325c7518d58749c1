# Participation screens: citizen accounts, forums, communities.
