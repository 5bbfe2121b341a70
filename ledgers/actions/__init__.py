"""The ledgers' changes: one function per step.

Each checks the actor's role and unit and the row's state, locks the row, writes in
one transaction, records the audit entry and tells the people concerned once it
commits. A step whose row changed under it (someone else acted first) raises
``Conflict`` and changes nothing. Bad input (a date outside the campaign's period,
progress going back, a closure without evidence…) raises ``ValidationError`` with a
message a person can act on, keyed by field where there is one.

One module per noun: ``research`` (visits and their findings), ``problems`` (the
problem list and its measures), ``deeds`` (practical deeds), ``hotspots`` (a
week's group of demands made a deed or a problem) and ``imports`` (stored from
Excel); ``common`` holds what they share.
"""
