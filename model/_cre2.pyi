# The system's RE2 called directly (model/_cre2.cpp); absent when the package was built without
# the RE2 headers. `model._fast_re2` picks it or google-re2's compiled objects, which take the
# same calls. Text is bytes; `pos` and `endpos` are clipped to it.

class RE2:
    def __init__(
        self,
        pattern: bytes,
        /,
        *,
        max_mem: int = ...,
        case_sensitive: bool = ...,
        never_capture: bool = ...,
    ) -> None: ...
    # The span of the whole match, ((-1, -1),) when there is none. `anchor` is 0 (unanchored),
    # 1 (at pos) or 2 (at both ends), or one of google-re2's `RE2.Anchor` members.
    # Named as google-re2 names it, so that either object can be called.
    def Match(
        self, anchor: object, text: bytes, pos: int, endpos: int, /
    ) -> tuple[tuple[int, int]]: ...

class Set:
    def __init__(
        self,
        patterns: list[bytes],
        /,
        *,
        max_mem: int = ...,
        case_sensitive: bool = ...,
        never_capture: bool = ...,
    ) -> None: ...
    # The indices of the patterns found anywhere in `text`, in increasing order.
    def Match(self, text: bytes, /) -> list[int]: ...
