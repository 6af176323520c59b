-- Every table empty: a run of zeros and nulls, not a crash.
-- figure: threads|0
-- figure: fr|{"median":null,"p90":null,"mean":null,"n":0}
-- figure: within_sla|null
-- figure: teams|[]
-- figure: staff|[]
-- figure: fy_donors|0
-- figure: fy_amount|0
-- figure: donors_ever|0
-- figure: vol_active|0
-- figure: vol_hours|0
-- figure: su_active|0
-- figure: sat_sent|0
-- figure: csat_n|0
-- figure: csat_pct|null
-- figure: nps|null
-- figure: unthanked|0
TRUNCATE stakeholder, stakeholder_role, staff, thread, interaction, gift, volunteer_shift,
  service_visit, survey;
