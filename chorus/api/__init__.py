"""The Chorus Pro-compatible API: the shared base every app's `api/` package builds on.

Connectors written for Chorus Pro on PISTE (OCA, Dolibarr, Pastell, go-choruspro...) work by
changing their two base URLs: the token at `<site>/api/oauth/token`, the operations at
`<site>/cpro/...`. Documentation: `/api/docs/` (Swagger UI, served locally), schema at
`/api/schema/`.

Modules
- `authentication`: `CproAuthentication` requires both `Authorization: Bearer <token>` (a
  django-oauth-toolkit access token with the `openid` scope, issued by /api/oauth/token for
  client_credentials) and `cpro-account: base64(login:password)` of an active `TechnicalAccount`
  whose structure is active. `request.user` is then an `ApiCaller` (`.technical_account`,
  `.structure`: the data scope, `.application`: the OAuth client); `request.auth` the token.
- `throttling`: `ClientRateThrottle`, per OAuth client_id, rate `API_RATE_LIMIT` (settings),
  counted in the shared cache.
- `errors`: the message codes, `CproError`, the project-wide DRF exception handler.
- `envelope`: `CproResponseSerializer`, `cpro_success()`, pagination (`PaginatedRequestSerializer`,
  `PaginatedResponseSerializer`, `paginate()`), `ErrorSerializer`.
- `base`: `CproView` (authentication, throttling, JSON in and out) and `cpro_operation()`
  (the OpenAPI description with the standard error answers).
- `views`, `serializers`, `selectors`: the token endpoint, the health check and the structures
  directory (rechercher, consulter, rechercher/services, consulter/service).

Writing an operation in an app (e.g. `invoices/api/`)
1. `serializers.py`: an input serializer with the Chorus Pro field names (a list operation
   subclasses `PaginatedRequestSerializer`, sets `sort_columns` and `default_sort`, and gets
   `validated_data["page"]`); an output serializer subclassing `CproResponseSerializer` (or
   `PaginatedResponseSerializer` for a list).
2. `views.py`: one `CproView` subclass per operation, its handler decorated with
   `cpro_operation(operation_id="soumettreFacture", summary=..., tag="Factures",
   request=InSerializer, response=OutSerializer, not_found=...)`. The handler parses with
   `data = self.validated(InSerializer)`, calls one service of the app with
   `actor=None` and the caller (`self.caller.technical_account`, `self.caller.structure`,
   channel `Channel.API`; audit rows take `actor_label` from the technical account's login),
   and answers `cpro_success(OutSerializer, **fields)`. For a list:
   `items, page = paginate(queryset, data["page"])` then
   `cpro_success(OutSerializer, listeFactures=items, parametresRetour=page)`.
   Scope every read to `self.caller.structure`; something the caller may not see is answered
   as not found.
3. Functional errors: declare `Message("GCU_MSG_<GG>_<NNN>", status, _("What is wrong : how to
   fix it."))` constants in the app's `api/errors.py`, with the app's group below, and
   `raise CproError(MESSAGE, **params)` (from a view or a service): the handler renders it.
   Validation errors of serializers are rendered for you, field by field.
4. `urls.py` of the app, included in `chorus/api/urls.py` above the last (catch-all 404) route:
   `path("cpro/factures/v1/", include("invoices.api.urls"))`. Paths have no trailing slash,
   as in Chorus Pro.
Tests call the operations end to end with the `cpro` fixture of `tests/api/conftest.py`.

Message codes (`libelle` "GCU_MSG_<GG>_<NNN> : explication" ; `codeRetour` = GG × 1000 + NNN,
0 on success, whose `libelle` is the bare GCU_MSG_01_000 as connectors expect):
- 01 success (200)
- 02 authentication (401): 001 token missing, 002 token invalid or expired, 003 cpro-account
  missing, 004 cpro-account malformed, 005 login or password wrong (one message: no
  enumeration of accounts); 000 other authentication failures
- 03 authorisation (403): 001 technical account inactive, 002 its structure inactive,
  003 token without the openid scope; 000 other refusals
- 04 the request: 001 malformed JSON (400), 002 invalid data (400, with `erreurs`
  [{champ, message}]), 003 unknown path (404), 004 method not allowed (405), 005 content type
  not JSON (415), 006 body too large (413, refused from its Content-Length before it is read);
  000 other refusals
- 05 throttling (429, with Retry-After): 001 too many calls of a client, 002 too many failed
  credentials of an account or address (django-axes, `chorus.lockout`)
- 06 structures directory (404): 001 structure not visible, 002 service not found
- 09 platform (500): 001 internal error (logged with its traceback)
- 10-19 invoices (factures), 20-29 rejections and recycling, 30-39 justice fees (mémoires),
  40-49 energy refunds, 50-59 flows and transverses: each app numbers its own messages there.
"""
