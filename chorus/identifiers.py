"""Validation of structure identifiers, VAT numbers and bank details: the one place for them.

Each function returns the normalised value or raises a ValidationError whose message, in the
user's language, says what is wrong and how to fix it.
"""

import asyncssh
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum import exceptions as stdnum_errors
from stdnum import luhn
from stdnum.eu import vat
from stdnum.fr import siren, siret

from chorus.enums import IdentifierType


def _digits_error(value: str, label: str, length: int) -> ValidationError:
    return ValidationError(
        _("Le %(label)s « %(value)s » doit comporter exactement %(length)d chiffres.")
        % {"label": label, "value": value, "length": length},
        code="invalid_length",
    )


def normalise_siret(value: str) -> str:
    compact = siret.compact(value or "")
    if not compact.isdigit() or len(compact) != 14:
        raise _digits_error(value, "SIRET", 14)
    try:
        siren.validate(compact[:9])
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(
            _(
                "Le SIREN %(siren)s (9 premiers chiffres du SIRET) est invalide : sa clé de "
                "contrôle ne correspond pas. Vérifiez le numéro sur l'avis de situation INSEE."
            )
            % {"siren": compact[:9]},
            code="invalid_siren",
        ) from exc
    try:
        siret.validate(compact)
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(
            _(
                "Le SIRET %(siret)s est invalide : sa clé de contrôle ne correspond pas. "
                "Vérifiez les 5 derniers chiffres (NIC) de l'établissement."
            )
            % {"siret": compact},
            code="invalid_siret",
        ) from exc
    return compact


def normalise_vat_number(value: str) -> str:
    compact = vat.compact(value or "")
    try:
        return vat.validate(compact)
    except stdnum_errors.InvalidComponent as exc:
        raise ValidationError(
            _(
                "Le numéro de TVA « %(value)s » ne commence pas par un code pays de l'Union européenne."
            )
            % {"value": value},
            code="invalid_vat_country",
        ) from exc
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(
            _(
                "Le numéro de TVA intracommunautaire « %(value)s » est invalide "
                "(format ou clé de contrôle). Exemple attendu : FR44732829320."
            )
            % {"value": value},
            code="invalid_vat",
        ) from exc


def normalise_identifier(identifier_type: str, value: str) -> str:
    """Checks an identifier against the rules of its type and returns its compact form."""
    value = (value or "").strip()
    if identifier_type == IdentifierType.SIRET:
        return normalise_siret(value)
    if identifier_type == IdentifierType.UE_HORS_FRANCE:
        normalised = normalise_vat_number(value)
        if normalised.startswith("FR"):
            raise ValidationError(
                _("Un numéro de TVA français désigne une entreprise française : choisissez SIRET."),
                code="french_vat_for_eu",
            )
        return normalised
    if identifier_type == IdentifierType.RIDET:
        compact = value.replace(" ", "").replace(".", "")
        if not compact.isdigit() or not 6 <= len(compact) <= 10:
            raise ValidationError(
                _(
                    "Un RIDET compte de 6 à 10 chiffres (7 pour l'entreprise, 3 pour l'établissement)."
                ),
                code="invalid_ridet",
            )
        return compact
    if identifier_type == IdentifierType.TAHITI:
        compact = value.replace(" ", "").upper()
        if len(compact) not in (6, 9) or not compact.isalnum():
            raise ValidationError(
                _("Un numéro TAHITI compte 6 caractères (9 avec l'établissement)."),
                code="invalid_tahiti",
            )
        return compact
    if not value:
        raise ValidationError(_("L'identifiant est obligatoire."), code="required")
    if len(value) > 80:
        raise ValidationError(_("L'identifiant ne peut dépasser 80 caractères."), code="too_long")
    return value


def sample_siret(n: int) -> str:
    """A SIRET with valid SIREN and SIRET keys, distinct for each n: demo and test data."""
    siren_body = f"{(n * 7919) % 10**8:08d}"
    siren = siren_body + luhn.calc_check_digit(siren_body)
    nic_body = f"{n % 10**4:04d}"
    return siren + nic_body + luhn.calc_check_digit(siren + nic_body)


def normalise_iban(value: str) -> str:
    try:
        return IBAN(value).compact
    except SchwiftyException as exc:
        raise ValidationError(
            _(
                "L'IBAN « %(value)s » est invalide : %(reason)s. Recopiez-le depuis votre RIB "
                "(27 caractères pour un IBAN français, commençant par FR76)."
            )
            % {"value": value, "reason": _iban_reason(exc)},
            code="invalid_iban",
        ) from exc


def _iban_reason(exc: SchwiftyException) -> str:
    name = type(exc).__name__
    if "Checksum" in name:
        return _("la clé de contrôle ne correspond pas")
    if "Length" in name:
        return _("la longueur ne correspond pas au pays")
    if "CountryCode" in name:
        return _("le code pays est inconnu")
    return _("le format n'est pas reconnu")


def normalise_bic(value: str) -> str:
    try:
        bic = BIC(value)
    except SchwiftyException as exc:
        raise ValidationError(
            _("Le BIC « %(value)s » est invalide : il compte 8 ou 11 caractères (ex. BNPAFRPP).")
            % {"value": value},
            code="invalid_bic",
        ) from exc
    return bic.compact


def parse_ssh_public_keys(text: str) -> list[asyncssh.SSHKey]:
    """Reads OpenSSH public keys, one per line; blank lines and # comments are skipped."""
    keys = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            keys.append(asyncssh.import_public_key(line))
        except (asyncssh.KeyImportError, ValueError) as exc:
            raise ValidationError(
                _(
                    "La ligne %(line)d n'est pas une clé publique SSH lisible (%(reason)s). "
                    "Collez le contenu du fichier .pub, par exemple « ssh-ed25519 AAAA… partenaire »."
                )
                % {"line": number, "reason": exc},
                code="invalid_ssh_key",
            ) from exc
    return keys
