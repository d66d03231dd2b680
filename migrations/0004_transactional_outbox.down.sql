-- Back to sending directly: undelivered messages are dropped with the table.
DROP TABLE outbox;
