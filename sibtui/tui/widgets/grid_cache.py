"""The few pages of rows a paged grid holds (an LRU), and which page to read next.

A grid never holds every row: at most `CACHE_PAGES` pages of its view's `page_rows` rows.
What is on screen and missing is read first (consecutive missing pages in one window), then
the page below the screen, so a PageDown usually finds its rows already here.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

CACHE_PAGES = 24


class PageCache:
    def __init__(self, page_rows: int, capacity: int = CACHE_PAGES) -> None:
        self.page_rows = page_rows
        self.capacity = capacity
        self._pages: OrderedDict[int, list[tuple]] = OrderedDict()

    def clear(self, page_rows: int | None = None) -> None:
        self._pages.clear()
        if page_rows is not None:
            self.page_rows = page_rows

    def __contains__(self, page: int) -> bool:
        return page in self._pages

    def store(self, page: int, rows: list[tuple]) -> None:
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > self.capacity:
            self._pages.popitem(last=False)

    def store_window(self, first_page: int, rows: list[tuple]) -> None:
        """A window of one or more pages read at once, split into its pages."""
        size = self.page_rows
        for index in range(max(1, -(-len(rows) // size))):
            self.store(first_page + index, rows[index * size : (index + 1) * size])

    def row(self, position: int) -> tuple | None:
        page = self._pages.get(position // self.page_rows)
        if page is None:
            return None
        offset = position % self.page_rows
        return page[offset] if offset < len(page) else None

    def pages_between(self, first: int, last: int, cursor: int) -> list[int]:
        """The pages holding positions `first`..`last` and the cursor's."""
        size = self.page_rows
        pages = list(range(first // size, last // size + 1))
        cursor_page = cursor // size
        return pages if cursor_page in pages else [*pages, cursor_page]

    def next_window(self, visible: Sequence[int], total: int) -> tuple[int, int] | None:
        """(first page, how many) to read next: the visible ones missing, else the one below."""
        missing = [page for page in visible if page not in self._pages]
        if not missing and visible:
            below = max(visible) + 1
            if below * self.page_rows < total and below not in self._pages:
                missing = [below]
        if not missing:
            return None
        run = 1
        while missing[0] + run in missing:
            run += 1
        return missing[0], run
