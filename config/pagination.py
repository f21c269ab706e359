"""Paged lists answer a ?page= that is no page with the nearest page, never a 404.

Page numbers come from links people keep, share and edit: "?page=abc", "?page=1.5", or a
page that existed before rows were deleted. Django's list views answer those with a 404.
Here, as Paginator.get_page does: not a whole number gives the first page, one past the
end the last. Below 1 gives the first page too, where get_page gives the last: the first
is the nearest.
"""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator

# ListView's word for the last page, whatever its number (?page=last): every list takes it.
LAST_PAGE = "last"


class NearestPagePaginator(Paginator):
    def get_page(self, number):
        return self.page(self.nearest_page(number))

    def nearest_page(self, number) -> int:
        """The number of the page asked for, or of the nearest one (above)."""
        if number == LAST_PAGE:
            return self.num_pages
        try:
            return self.validate_number(number)
        except PageNotAnInteger:
            return 1
        except EmptyPage:
            # validate_number got a whole number this far, only one with no page.
            return 1 if int(number) < 1 else self.num_pages


class NearestPageMixin:
    """For a ListView or FilterView: the page asked for, or the nearest one (above)."""

    paginator_class = NearestPagePaginator

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        number = self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg)
        page = paginator.get_page(number)
        return paginator, page, page.object_list, page.has_other_pages()
