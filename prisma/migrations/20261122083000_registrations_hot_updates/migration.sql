-- A registration is updated after its insert by the workers (operator snapshot, follow-up status):
-- room left in each page lets those updates, which touch no indexed column, stay on the page
-- (HOT) instead of adding an entry to every index of the table, which slowed the intake beside them.
ALTER TABLE "registrations" SET (fillfactor = 70);
