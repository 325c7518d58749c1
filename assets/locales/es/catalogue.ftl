# Catalogue screens: procedures, tenders, networks.
