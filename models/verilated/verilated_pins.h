#pragma once
// References to the port variables of a Verilated C++ model, so bridges and checkers can read
// and drive an AXI port of any Verilated top without knowing its generated class. Verilator
// keeps a port of up to 8/16/32/64 bits in an unsigned integer of that size and a wider one in a
// VlWide array of 32-bit words, least significant word first.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace vp {

// One port of 1..64 bits, or a field of 1..64 bits inside a vector port (one port's lane of
// a port vector such as `logic [P-1:0][63:0] m_axi_gmem_w_araddr`). An unbound PinRef reads
// as 0 and ignores writes (optional AXI signals such as IDs that a top does not have).
// Bridges read and drive a few dozen pins per port every clock edge, so a pin is kept as the
// smallest 1, 2, 4 or 8-byte window of its port that holds it: get() is one load, a shift and a mask.
class PinRef {
 public:
  PinRef() = default;
  template <class T>
  explicit PinRef(T& field) {
    static_assert(std::is_integral<T>::value && std::is_unsigned<T>::value && sizeof(T) <= 8,
                  "a Verilated port of at most 64 bits");
    *this = window(reinterpret_cast<uint8_t*>(&field), sizeof(T), 0, 8 * sizeof(T));
  }

  // Bits [bit_offset, bit_offset + width) of a port of any width (integer or VlWide).
  template <class T, std::enable_if_t<std::is_integral<T>::value, int> = 0>
  static PinRef bits(T& port, uint32_t bit_offset, uint32_t width) {
    return window(reinterpret_cast<uint8_t*>(&port), sizeof(T), bit_offset, width);
  }
  template <class Wide, std::enable_if_t<!std::is_integral<Wide>::value, int> = 0>
  static PinRef bits(Wide& port, uint32_t bit_offset, uint32_t width) {
    return window(reinterpret_cast<uint8_t*>(port.data()), sizeof(Wide), bit_offset, width);
  }

  bool bound() const { return ptr_ != nullptr; }
  uint64_t get() const { return (load() >> shift_) & mask_; }
  void set(uint64_t value) const {
    if (ptr_ != nullptr) store((load() & ~(mask_ << shift_)) | ((value & mask_) << shift_));
  }

 private:
  // Verilator's storage is little-endian words, least significant first, so bit k of a port is
  // bit k % 8 of byte k / 8 on the little-endian hosts this runs on. The window never reaches
  // past the port's `size` bytes; a field no window of at most 8 bytes holds stays unbound.
  static PinRef window(uint8_t* base, size_t size, uint32_t bit_offset, uint32_t width) {
    PinRef r;
    if (width == 0 || width > 64 || uint64_t{bit_offset} + width > 8 * uint64_t{size}) return r;
    for (uint32_t bytes = 1; bytes <= 8 && bytes <= size; bytes *= 2) {
      const size_t first = std::min<size_t>(bit_offset / 8, size - bytes);
      const uint32_t shift = bit_offset - 8 * static_cast<uint32_t>(first);
      if (shift + width > 8 * bytes) continue;
      r.ptr_ = base + first;
      r.bytes_ = static_cast<uint8_t>(bytes);
      r.shift_ = static_cast<uint8_t>(shift);
      r.mask_ = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
      return r;
    }
    return r;
  }
  uint64_t load() const {
    switch (bytes_) {
      case 1: return *ptr_;
      case 2: return load_as<uint16_t>();
      case 4: return load_as<uint32_t>();
      case 8: return load_as<uint64_t>();
      default: return 0;
    }
  }
  template <class U>
  uint64_t load_as() const {
    U v;
    std::memcpy(&v, ptr_, sizeof(U));
    return v;
  }
  void store(uint64_t v) const {
    switch (bytes_) {
      case 1: *ptr_ = static_cast<uint8_t>(v); break;
      case 2: store_as<uint16_t>(v); break;
      case 4: store_as<uint32_t>(v); break;
      case 8: store_as<uint64_t>(v); break;
      default: break;
    }
  }
  template <class U>
  void store_as(uint64_t v) const {
    const U narrow = static_cast<U>(v);
    std::memcpy(ptr_, &narrow, sizeof(U));
  }

  uint8_t* ptr_ = nullptr;  // first byte of the window
  uint64_t mask_ = 0;       // the field's width in ones (0 when unbound: reads 0)
  uint8_t bytes_ = 0;       // window of 1, 2, 4 or 8 bytes
  uint8_t shift_ = 0;       // the field's first bit inside the window
};

// A data bus of 32..1024 bits: a QData, IData or VlWide port seen as little-endian bytes
// (Verilator's word order matches the byte order of the x86/ARM hosts this runs on).
class DataPinRef {
 public:
  DataPinRef() = default;
  template <class T, std::enable_if_t<std::is_integral<T>::value, int> = 0>
  explicit DataPinRef(T& field) : bytes_(static_cast<uint32_t>(sizeof(T))), ptr_(reinterpret_cast<uint8_t*>(&field)) {}
  // VlWide<N> (Verilator's wide type) exposes data() and the word count through its size.
  template <class Wide, std::enable_if_t<!std::is_integral<Wide>::value, int> = 0>
  explicit DataPinRef(Wide& wide)
      : bytes_(static_cast<uint32_t>(sizeof(Wide))), ptr_(reinterpret_cast<uint8_t*>(wide.data())) {}
  // Bytes [byte_offset, byte_offset + bytes) of a wider port: one port's lane of a data vector.
  template <class Wide, std::enable_if_t<!std::is_integral<Wide>::value, int> = 0>
  DataPinRef(Wide& wide, uint32_t byte_offset, uint32_t bytes)
      : bytes_(bytes), ptr_(reinterpret_cast<uint8_t*>(wide.data()) + byte_offset) {}

  uint32_t bytes() const { return bytes_; }
  const uint8_t* data() const { return ptr_; }
  uint8_t* data() { return ptr_; }
  void read(uint8_t* dst) const { std::memcpy(dst, ptr_, bytes_); }
  void write(const uint8_t* src) const { std::memcpy(ptr_, src, bytes_); }
  void clear() const { std::memset(ptr_, 0, bytes_); }

 private:
  uint32_t bytes_ = 0;
  uint8_t* ptr_ = nullptr;
};

// The five channels of an AXI4 master port (outputs of the RTL: *valid of AW/W/AR and the
// payloads; inputs: *ready of AW/W/AR, and B/R). IDs are optional (unbound: ID 0).
struct AxiMasterPins {
  PinRef awvalid, awready, awaddr, awlen, awsize, awburst, awid;
  PinRef wvalid, wready, wstrb, wlast;
  DataPinRef wdata;
  PinRef bvalid, bready, bresp, bid;
  PinRef arvalid, arready, araddr, arlen, arsize, arburst, arid;
  PinRef rvalid, rready, rresp, rlast, rid;
  DataPinRef rdata;

  uint32_t data_bytes() const { return rdata.bytes(); }
};

// An AXI4-Lite slave port (s_axi_control): the RTL drives the *ready of AW/W/AR and B/R.
struct AxiLitePins {
  PinRef awvalid, awready, awaddr;
  PinRef wvalid, wready, wdata, wstrb;
  PinRef bvalid, bready, bresp;
  PinRef arvalid, arready, araddr;
  PinRef rvalid, rready, rdata, rresp;
};

}  // namespace vp

// p_.NAME = REF((model).PREFIX_NAME): one pin bound to its Verilated port.
#define VP_BIND_PIN_(p_, model, prefix, name, REF) p_.name = REF((model).prefix##_##name)

// The AXI4-Lite signals, which an AXI4 master has too: its data pins as DATA_REF (PinRef for
// AXI4-Lite's 32 bits, DataPinRef for a master's wide bus).
#define VP_BIND_AXI_LITE_PINS_(p_, model, prefix, DATA_REF)                                       \
  VP_BIND_PIN_(p_, model, prefix, awvalid, ::vp::PinRef);                                        \
  VP_BIND_PIN_(p_, model, prefix, awready, ::vp::PinRef);                                        \
  VP_BIND_PIN_(p_, model, prefix, awaddr, ::vp::PinRef);                                         \
  VP_BIND_PIN_(p_, model, prefix, wvalid, ::vp::PinRef);                                         \
  VP_BIND_PIN_(p_, model, prefix, wready, ::vp::PinRef);                                         \
  VP_BIND_PIN_(p_, model, prefix, wdata, DATA_REF);                                              \
  VP_BIND_PIN_(p_, model, prefix, wstrb, ::vp::PinRef);                                          \
  VP_BIND_PIN_(p_, model, prefix, bvalid, ::vp::PinRef);                                         \
  VP_BIND_PIN_(p_, model, prefix, bready, ::vp::PinRef);                                         \
  VP_BIND_PIN_(p_, model, prefix, bresp, ::vp::PinRef);                                          \
  VP_BIND_PIN_(p_, model, prefix, arvalid, ::vp::PinRef);                                        \
  VP_BIND_PIN_(p_, model, prefix, arready, ::vp::PinRef);                                        \
  VP_BIND_PIN_(p_, model, prefix, araddr, ::vp::PinRef);                                         \
  VP_BIND_PIN_(p_, model, prefix, rvalid, ::vp::PinRef);                                         \
  VP_BIND_PIN_(p_, model, prefix, rready, ::vp::PinRef);                                         \
  VP_BIND_PIN_(p_, model, prefix, rdata, DATA_REF);                                              \
  VP_BIND_PIN_(p_, model, prefix, rresp, ::vp::PinRef)

// Binds the Verilated ports named PREFIX_awvalid, PREFIX_awready, ... of `model` (Vitis names:
// m_axi_gmem_araddr): the AXI4-Lite signals and the burst fields. IDs are left unbound.
#define VP_AXI_MASTER_PINS(model, prefix)                                                        \
  [&]() {                                                                                        \
    ::vp::AxiMasterPins p_;                                                                      \
    VP_BIND_AXI_LITE_PINS_(p_, model, prefix, ::vp::DataPinRef);                                 \
    VP_BIND_PIN_(p_, model, prefix, awlen, ::vp::PinRef);                                        \
    VP_BIND_PIN_(p_, model, prefix, awsize, ::vp::PinRef);                                       \
    VP_BIND_PIN_(p_, model, prefix, awburst, ::vp::PinRef);                                      \
    VP_BIND_PIN_(p_, model, prefix, wlast, ::vp::PinRef);                                        \
    VP_BIND_PIN_(p_, model, prefix, arlen, ::vp::PinRef);                                        \
    VP_BIND_PIN_(p_, model, prefix, arsize, ::vp::PinRef);                                       \
    VP_BIND_PIN_(p_, model, prefix, arburst, ::vp::PinRef);                                      \
    VP_BIND_PIN_(p_, model, prefix, rlast, ::vp::PinRef);                                        \
    return p_;                                                                                   \
  }()

// Binds the Verilated ports PREFIX_awvalid, ... of an AXI4-Lite slave (s_axi_control).
#define VP_AXI_LITE_PINS(model, prefix)                                                          \
  [&]() {                                                                                        \
    ::vp::AxiLitePins p_;                                                                        \
    VP_BIND_AXI_LITE_PINS_(p_, model, prefix, ::vp::PinRef);                                     \
    return p_;                                                                                   \
  }()

// Binds lane LANE of the read-only vector ports PREFIX_arvalid, PREFIX_araddr, ... (AR and R
// channels; bit LANE of each 1-bit vector, bits [64 LANE, 64 LANE + 64) of araddr, and so on)
// for a DATA_BYTES-wide data bus. The write channels stay unbound (a read-only port).
#define VP_AXI_READ_LANE_PINS(model, prefix, lane, data_bytes)                                   \
  [&]() {                                                                                        \
    const uint32_t l_ = static_cast<uint32_t>(lane);                                             \
    ::vp::AxiMasterPins p_;                                                                      \
    p_.arvalid = ::vp::PinRef::bits((model).prefix##_arvalid, l_, 1);                            \
    p_.arready = ::vp::PinRef::bits((model).prefix##_arready, l_, 1);                            \
    p_.araddr = ::vp::PinRef::bits((model).prefix##_araddr, 64 * l_, 64);                        \
    p_.arlen = ::vp::PinRef::bits((model).prefix##_arlen, 8 * l_, 8);                            \
    p_.arsize = ::vp::PinRef::bits((model).prefix##_arsize, 3 * l_, 3);                          \
    p_.arburst = ::vp::PinRef::bits((model).prefix##_arburst, 2 * l_, 2);                        \
    p_.rvalid = ::vp::PinRef::bits((model).prefix##_rvalid, l_, 1);                              \
    p_.rready = ::vp::PinRef::bits((model).prefix##_rready, l_, 1);                              \
    p_.rdata = ::vp::DataPinRef((model).prefix##_rdata, (data_bytes) * l_, (data_bytes));        \
    p_.rresp = ::vp::PinRef::bits((model).prefix##_rresp, 2 * l_, 2);                            \
    p_.rlast = ::vp::PinRef::bits((model).prefix##_rlast, l_, 1);                                \
    return p_;                                                                                   \
  }()

// Binds lane LANE of the read/write vector ports PREFIX_awvalid, PREFIX_awaddr, ..., PREFIX_rlast
// (all five channels; bit LANE of each 1-bit vector, bits [64 LANE, 64 LANE + 64) of the addresses
// and of wstrb, and so on) for a DATA_BYTES-wide data bus (at most 64 bytes: wstrb of one lane
// fits a PinRef). Lane 0 of a one-lane vector is the plain port. IDs stay unbound.
#define VP_AXI_LANE_PINS(model, prefix, lane, data_bytes)                                        \
  [&]() {                                                                                        \
    const uint32_t l_ = static_cast<uint32_t>(lane);                                             \
    ::vp::AxiMasterPins p_ = VP_AXI_READ_LANE_PINS(model, prefix, lane, data_bytes);             \
    p_.awvalid = ::vp::PinRef::bits((model).prefix##_awvalid, l_, 1);                            \
    p_.awready = ::vp::PinRef::bits((model).prefix##_awready, l_, 1);                            \
    p_.awaddr = ::vp::PinRef::bits((model).prefix##_awaddr, 64 * l_, 64);                        \
    p_.awlen = ::vp::PinRef::bits((model).prefix##_awlen, 8 * l_, 8);                            \
    p_.awsize = ::vp::PinRef::bits((model).prefix##_awsize, 3 * l_, 3);                          \
    p_.awburst = ::vp::PinRef::bits((model).prefix##_awburst, 2 * l_, 2);                        \
    p_.wvalid = ::vp::PinRef::bits((model).prefix##_wvalid, l_, 1);                              \
    p_.wready = ::vp::PinRef::bits((model).prefix##_wready, l_, 1);                              \
    p_.wdata = ::vp::DataPinRef((model).prefix##_wdata, (data_bytes) * l_, (data_bytes));        \
    p_.wstrb = ::vp::PinRef::bits((model).prefix##_wstrb, (data_bytes) * l_, (data_bytes));      \
    p_.wlast = ::vp::PinRef::bits((model).prefix##_wlast, l_, 1);                                \
    p_.bvalid = ::vp::PinRef::bits((model).prefix##_bvalid, l_, 1);                              \
    p_.bready = ::vp::PinRef::bits((model).prefix##_bready, l_, 1);                              \
    p_.bresp = ::vp::PinRef::bits((model).prefix##_bresp, 2 * l_, 2);                            \
    return p_;                                                                                   \
  }()
