// advise_huge_pages / resize_on_huge_pages: the contents are those of a plain resize, and in the kernel's
// "madvise" huge-page mode (Debian's default) the whole 2 MiB pages of the buffer are eligible for huge pages
// while those of a plain vector are not (/proc/self/smaps, THPeligible).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sw/huge_pages.h"

namespace vp {
namespace {

std::string huge_page_mode() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string line;
  std::getline(in, line);  // e.g. "always [madvise] never"
  const auto open = line.find('['), close = line.find(']');
  return open == std::string::npos || close == std::string::npos ? "" : line.substr(open + 1, close - open - 1);
}

// The THPeligible field of the mapping of this process that holds `address` (-1 if none says).
int thp_eligible(const void* address) {
  const auto a = reinterpret_cast<std::uintptr_t>(address);
  std::ifstream smaps("/proc/self/smaps");
  bool inside = false;
  for (std::string line; std::getline(smaps, line);) {
    std::uintptr_t begin = 0, end = 0;
    char dash = 0;
    std::istringstream header(line);
    if (header >> std::hex >> begin >> dash >> end && dash == '-') {
      inside = begin <= a && a < end;
    } else if (inside && line.rfind("THPeligible:", 0) == 0) {
      return std::stoi(line.substr(12));
    }
  }
  return -1;
}

const std::uint8_t* first_whole_huge_page(const std::vector<std::uint8_t>& v) {
  const auto begin = reinterpret_cast<std::uintptr_t>(v.data());
  return reinterpret_cast<const std::uint8_t*>((begin + kHugePageBytes - 1) & ~(std::uintptr_t{kHugePageBytes} - 1));
}

TEST(HugePages, ResizedVectorHoldsZeros) {
  std::vector<std::uint8_t> v;
  resize_on_huge_pages(v, 5 * kHugePageBytes + 123);
  ASSERT_EQ(v.size(), 5 * kHugePageBytes + 123);
  for (std::size_t i = 0; i < v.size(); i += 4093) ASSERT_EQ(v[i], 0) << i;
  EXPECT_EQ(v.back(), 0);

  std::vector<float> small;
  resize_on_huge_pages(small, 10);  // no whole huge page inside: nothing to advise
  EXPECT_EQ(small, std::vector<float>(10, 0.0f));
}

TEST(HugePages, AdvisedBufferIsEligibleForHugePagesWhereAPlainOneIsNot) {
  if (huge_page_mode() != "madvise") GTEST_SKIP() << "transparent huge pages are not in madvise mode here";
  const char* tunables = std::getenv("GLIBC_TUNABLES");  // glibc.malloc.hugetlb=1 advises every malloc'd mapping
  if (tunables != nullptr && std::string(tunables).find("glibc.malloc.hugetlb") != std::string::npos)
    GTEST_SKIP() << "GLIBC_TUNABLES sets glibc.malloc.hugetlb: a plain buffer may be advised too";
  std::vector<std::uint8_t> advised, plain;
  resize_on_huge_pages(advised, 8 * kHugePageBytes);
  plain.resize(8 * kHugePageBytes);
  EXPECT_EQ(thp_eligible(first_whole_huge_page(advised)), 1);
  EXPECT_EQ(thp_eligible(first_whole_huge_page(plain)), 0);
}

}  // namespace
}  // namespace vp
