-- A subscription request is updated once after its insert, when it has been handed off
-- (delivery_status, no indexed column): room left in each page keeps that update on the page (HOT)
-- instead of adding an entry to each of the table's indexes.
ALTER TABLE "subscription_requests" SET (fillfactor = 70);
