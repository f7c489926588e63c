"""The supplier portal channel: keying an invoice (turned into a Factur-X), uploading
flows, following flows and invoices with their reports."""
