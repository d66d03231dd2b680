-- The booking funnel, counted per local day: how many client journeys reached each step
-- (started, service chosen, slot chosen, contact given, confirmed). Only counts are kept:
-- no user, no text.
CREATE TABLE funnel_daily (
  day TEXT NOT NULL,
  step TEXT NOT NULL CHECK (step IN ('started', 'service', 'slot', 'contact', 'confirmed')),
  count INTEGER NOT NULL DEFAULT 0 CHECK (count >= 0),
  PRIMARY KEY (day, step)
) WITHOUT ROWID;
