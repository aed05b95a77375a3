#pragma once
// Big host buffers on transparent huge pages: the 110M model's device image and each DRAM channel's contents
// are about 120 MB apiece, written once at start-up. Touched 4 KiB at a time, they cost a run about 60,000
// page faults, the larger part of a timing-only sweep point's time on a VM; on 2 MiB pages they cost a few
// hundred. Linux gives anonymous memory huge pages in its "always" mode, and in "madvise" mode (Debian's
// default) only where madvise(MADV_HUGEPAGE) asked for them, which is what these helpers do. Elsewhere (mode
// "never", no THP) they change nothing: the contents and the results are the same either way.
#include <cstddef>
#include <vector>

namespace vp {

constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

// Asks for huge pages on every whole 2 MiB page inside [data, data + bytes) (none for a smaller range). Call
// it before the memory is first touched: a page faulted in already stays as it is.
void advise_huge_pages(void* data, std::size_t bytes);

// Resizes an empty vector to n value-initialised elements, asking for huge pages on its storage first.
template <class T>
void resize_on_huge_pages(std::vector<T>& v, std::size_t n) {
  v.reserve(n);
  advise_huge_pages(v.data(), n * sizeof(T));
  v.resize(n);
}

}  // namespace vp
