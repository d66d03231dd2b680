-- The funnel counts are dropped; nothing else refers to them.
DROP TABLE funnel_daily;
