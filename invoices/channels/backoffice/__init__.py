"""The public agents' pages: the invoices their structure received, and their moves on them."""
