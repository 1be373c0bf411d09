"""Help-desk preferences admins change at run time (stored in the database)."""
