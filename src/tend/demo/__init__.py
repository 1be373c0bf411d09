"""Demo data for `tend demo`: a believable help desk for the fictional Northwind Outfitters."""
