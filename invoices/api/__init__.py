"""The invoice and transverse operations of the Chorus Pro-compatible API.

Built on `chorus.api` (read its docstring). Modules:
- `views`: one `CproView` per operation (deposer/flux, soumettre, rechercher, consulter,
  consulter/historique, telecharger/groupe, consulterCR, consulterCRDetaille, ajouter/fichier);
- `serializers`: their inputs and outputs, with Chorus Pro field names;
- `submission`: the canonical invoice of a soumettreFacture request and its amount checks;
- `services`: submit a keyed invoice, store an attachment, assemble a download;
- `shapes`: stored invoices in the Chorus Pro answer shapes;
- `errors`: messages GCU_MSG_10_xxx (invoices) and GCU_MSG_50_xxx (flows, transverses);
- `parsers`: JSON bodies carrying a file, above Django's form size limit, with their own cap;
- `latency`: a measurement of the deposit's answer time, for the benchmark.
Reads go through `invoices.selectors`, scoped to the caller's structure.
"""
