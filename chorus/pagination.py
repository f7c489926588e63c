"""Pagination of list pages.

`page_of`: numbered pages (`?page=`), as the DSFR pagination component (`dsfr_pagination`)
shows them; it counts the rows and skips with OFFSET, fine for short lists (drafts...).

`keyset_page`: "previous / next" pages of lists that grow without bound (invoices, flows).
A page starts after (or ends before) the row named by a cursor, the page's sort key and id,
so reading page 500 costs what page 1 costs: an index range from the cursor, no OFFSET, and
no count of the whole result. Rows added or removed between two pages neither repeat nor
hide the others.
"""

import base64
import binascii
import json
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

# The query parameters of a keyset page: the cursor to read after, or before.
AFTER, BEFORE = "apres", "avant"


def page_of(request, queryset, per_page: int) -> Page:
    """The page `?page=` asks for (the first or last one when out of range), with the page
    numbers to list, long ranges elided."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    page.pages_list = list(page.paginator.get_elided_page_range(page.number))
    return page


@dataclass
class KeysetPage:
    """A page of rows with the cursors of the pages around it (None where there is none)."""

    object_list: list
    next_cursor: str | None = None
    previous_cursor: str | None = None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def __bool__(self):
        return bool(self.object_list)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def cursor_encode(values: tuple) -> str:
    """A cursor for the row whose sort key and id are `values` (URL-safe text)."""
    raw = json.dumps([None if v is None else str(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_decode(queryset: QuerySet, key: str, cursor: str) -> tuple | None:
    """The (key value, id) a cursor names, typed as the model's fields; None when the cursor
    is not one (edited by hand, or of another sort): the list then starts over."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, pk = json.loads(raw)
        model = queryset.model
        try:
            key_field = model._meta.pk if key == "pk" else model._meta.get_field(key)
        except FieldDoesNotExist:  # a text annotation of the queryset
            return value, model._meta.pk.to_python(pk)
        return key_field.to_python(value), model._meta.pk.to_python(pk)
    except (ValueError, TypeError, binascii.Error, ValidationError, LookupError):
        return None


def row_key(row, key: str) -> tuple:
    """The (key value, id) of a row (a model instance or a `.values()` dict)."""
    if isinstance(row, dict):
        return row[key], row["pk" if "pk" in row else "id"]
    return getattr(row, key), row.pk


def after(key: str, values: tuple, *, descending: bool) -> Q:
    """The rows that come after `values` (key value, id) in the order (key, id), descending
    or not. The first condition bounds the index range; the second drops the equal keys
    already shown."""
    value, pk = values
    if key == "pk":
        return Q(pk__lt=pk) if descending else Q(pk__gt=pk)
    op = "lt" if descending else "gt"
    return Q(**{f"{key}__{op}e": value}) & (
        Q(**{f"{key}__{op}": value}) | Q(**{key: value, f"pk__{op}": pk})
    )


def keyset_ordering(key: str, descending: bool, reverse: bool = False) -> list[str]:
    down = descending != reverse
    sign = "-" if down else ""
    return [f"{sign}{key}", f"{sign}pk"] if key != "pk" else [f"{sign}pk"]


def keyset_page(
    queryset: QuerySet,
    *,
    key: str,
    descending: bool = True,
    per_page: int = 20,
    after_cursor: str | None = None,
    before_cursor: str | None = None,
) -> KeysetPage:
    """The page of `queryset` ordered by (`key`, id) that starts after `after_cursor`, or ends
    before `before_cursor`, or the first page. The key must not be null on any row."""
    page = KeysetPage(object_list=[])
    position = before_cursor and cursor_decode(queryset, key, before_cursor)
    if position:
        rows = list(
            queryset.filter(after(key, position, descending=not descending)).order_by(
                *keyset_ordering(key, descending, reverse=True)
            )[: per_page + 1]
        )
        more_before = len(rows) > per_page
        page.object_list = rows[:per_page][::-1]
        if page.object_list:
            page.next_cursor = cursor_encode(row_key(page.object_list[-1], key))
            if more_before:
                page.previous_cursor = cursor_encode(row_key(page.object_list[0], key))
        else:
            # Nothing before any more (rows left meanwhile): the first page.
            return keyset_page(queryset, key=key, descending=descending, per_page=per_page)
        return page
    position = after_cursor and cursor_decode(queryset, key, after_cursor)
    rows = queryset.order_by(*keyset_ordering(key, descending))
    if position:
        rows = rows.filter(after(key, position, descending=descending))
    rows = list(rows[: per_page + 1])
    page.object_list = rows[:per_page]
    if len(rows) > per_page:
        page.next_cursor = cursor_encode(row_key(page.object_list[-1], key))
    if position and page.object_list:
        page.previous_cursor = cursor_encode(row_key(page.object_list[0], key))
    return page


def keyset_page_of(
    request, queryset: QuerySet, *, key: str, descending: bool = True, per_page: int = 20
) -> KeysetPage:
    """`keyset_page` at the cursor the request names (`?apres=` or `?avant=`)."""
    return keyset_page(
        queryset,
        key=key,
        descending=descending,
        per_page=per_page,
        after_cursor=request.GET.get(AFTER) or None,
        before_cursor=request.GET.get(BEFORE) or None,
    )


def capped_count(queryset: QuerySet, limit: int = 1000) -> tuple[int, bool]:
    """How many rows, counted up to `limit` at most: (count, True) means "more than
    `limit`", so that a list's caption never counts a table through."""
    found = queryset.order_by()[: limit + 1].count()
    return (limit, True) if found > limit else (found, False)
