-- Recency, frequency and monetary value per customer of the UCI Online Retail shop.
-- One row per invoice first (an invoice has many lines), then one row per customer.
-- Left out: lines without a customer, cancellations and returns (Quantity <= 0), free items, and lines
-- from @as_of on (a refresh as of an earlier day sees only what was known then).
SELECT
  customer_id,
  TIMESTAMP_DIFF(@as_of, MAX(invoice_time), DAY) AS recency_days,
  COUNT(*) AS frequency,
  SUM(invoice_total) AS monetary
FROM (
  SELECT
    CAST(CustomerID AS BIGINT) AS customer_id,
    InvoiceNo,
    MAX(InvoiceDate) AS invoice_time,
    SUM(Quantity * UnitPrice) AS invoice_total
  FROM retail_transactions
  WHERE CustomerID IS NOT NULL AND Quantity > 0 AND UnitPrice > 0 AND InvoiceDate < @as_of
  GROUP BY CAST(CustomerID AS BIGINT), InvoiceNo
) AS invoices
GROUP BY customer_id
