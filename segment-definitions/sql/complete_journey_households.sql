-- Households known to the CRM (INNER JOIN: a transaction sample covers 2,377 households, the CRM 801 of
-- them), with what they bought (one row per product in a basket, so baskets are counted distinct) and how
-- they answered campaigns (LEFT JOINs: a household that got no campaign or redeemed no coupon has 0).
-- Campaigns and redemptions carry no date in the data, so @as_of bounds the baskets only.
SELECT
  d.household_id,
  t.recency_days,
  t.baskets,
  t.spend,
  t.coupon_savings,
  COALESCE(c.campaigns_received, 0) AS campaigns_received,
  COALESCE(r.coupons_redeemed, 0) AS coupons_redeemed,
  CASE WHEN d.household_size = '5+' THEN 5 ELSE CAST(d.household_size AS INTEGER) END AS household_size,
  CASE WHEN d.kids_count = '3+' THEN 3 ELSE CAST(d.kids_count AS INTEGER) END AS kids
FROM household_demographics d
JOIN (
  SELECT
    household_id,
    TIMESTAMP_DIFF(@as_of, MAX(transaction_timestamp), DAY) AS recency_days,
    COUNT(DISTINCT basket_id) AS baskets,
    SUM(sales_value) AS spend,
    -SUM(coupon_disc) AS coupon_savings
  FROM grocery_transactions
  WHERE transaction_timestamp < @as_of -- a run as of an earlier day sees only the baskets known then
  GROUP BY household_id
) t ON t.household_id = d.household_id
LEFT JOIN (
  SELECT household_id, COUNT(*) AS campaigns_received FROM campaign_targets GROUP BY household_id
) c ON c.household_id = d.household_id
LEFT JOIN (
  SELECT household_id, COUNT(*) AS coupons_redeemed FROM coupon_redemptions GROUP BY household_id
) r ON r.household_id = d.household_id
