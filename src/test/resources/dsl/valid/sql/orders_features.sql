-- Orders and spend per customer.
SELECT customer_id, COUNT(*) AS orders, SUM(amount) AS spend
FROM orders
GROUP BY customer_id
