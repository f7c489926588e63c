"""Pagination of list pages, as the DSFR pagination component (`dsfr_pagination`) shows it."""

from django.core.paginator import Page, Paginator


def page_of(request, queryset, per_page: int) -> Page:
    """The page `?page=` asks for (the first or last one when out of range), with the page
    numbers to list, long ranges elided."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    page.pages_list = list(page.paginator.get_elided_page_range(page.number))
    return page
