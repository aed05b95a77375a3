// Port-list and connection macros for the flat AXI ports of the kernels (in the manner of PULP
// axi's port.svh): the Vitis RTL-kernel names (m_axi_<name>_arvalid, s_axi_control_awaddr, ...) a
// top must expose pin by pin, the house-style ports of the modules behind them (m_axi_arvalid_o,
// s_axi_awvalid_i, ...) and the all-input ports of the protocol checkers (arvalid_i, ...), written
// once. Only the signals the kernels use: no IDs, QoS, cache, protection or user bits (Vitis ties
// them off), 8-bit AxLEN, AXI4-Lite with 32-bit data.
//
// Port lists (no trailing comma; place them among the other ports):
//   `VP_M_AXI_PORTS(name, AW, DW)         flat AXI4 master `name`_aw*, _w*, _b*, _ar*, _r* (a Vitis
//                                         m_axi port: output what the master drives)
//   `VP_M_AXI_READ_PORTS(name, AW, DW)    the same, AR and R only (a read-only m_axi port)
//   `VP_S_AXI_LITE_PORTS(name, AW)        flat AXI4-Lite slave `name`_* (Vitis s_axi_control)
//   `VP_M_AXI_PORT_VECTOR(name, N, AW, DW)       N flat AXI4 masters as one vector a signal,
//   `VP_M_AXI_READ_PORT_VECTOR(name, N, AW, DW)  port p's signals at lane p (`name`_arvalid[p],
//                                                `name`_araddr[AW*p+:AW], ...): Vitis's
//                                                m_axi_<name><p> ports of a top with N of them
//   `VP_AXI_READ_MASTER_PORTS(AW, DW)     m_axi_ar*_o / m_axi_r*_i ... of a read master module
//   `VP_AXI_WRITE_MASTER_PORTS(AW, DW)    m_axi_aw*_o, m_axi_w*_o, m_axi_b*_i ... of a write master
//   `VP_AXI_LITE_SLAVE_PORTS(AW)          s_axi_*_i / s_axi_*_o of an AXI4-Lite slave module
//   `VP_AXI4_MONITOR_PORTS(AW, DW)        every AXI4 signal as an input, awvalid_i ... (checkers)
//   `VP_AXI_LITE_MONITOR_PORTS(AW)        every AXI4-Lite signal as an input (checkers)
// Connections (named port connections, no trailing comma):
//   `VP_AXI_READ_MASTER_CONNECT(name)     an axi_read_master's m_axi_* ports to the flat `name`_*
//   `VP_AXI_WRITE_MASTER_CONNECT(name)    an axi_write_master's m_axi_* ports to the flat `name`_*
//   `VP_AXI_LITE_SLAVE_CONNECT(name)      an axi_lite_control's s_axi_* ports to the flat `name`_*
//   `VP_AXI4_MONITOR_CONNECT(name)        a checker's awvalid_i ... to the flat AXI4 port `name`_*
//   `VP_AXI_LITE_MONITOR_CONNECT(name)    a checker's awvalid_i ... to the flat AXI4-Lite `name`_*
// Example (rtl/stream_copy_kernel.sv):
//   module k (input logic ap_clk, input logic ap_rst_n,
//             `VP_S_AXI_LITE_PORTS(s_axi_control, 6),
//             `VP_M_AXI_PORTS(m_axi_gmem, 64, 512),
//             output logic interrupt);
//     axi_read_master #(...) u_read (.clk_i(ap_clk), ..., `VP_AXI_READ_MASTER_CONNECT(m_axi_gmem));
//
// The general forms behind them: `VP_AXI4_AR_R_PORT_LIST, `VP_AXI4_AW_W_B_PORT_LIST and
// `VP_AXI_LITE_PORT_LIST(MDIR, SDIR, PFX, MSFX, SSFX, ...) declare each signal driven by the
// master with direction MDIR and name PFX<signal>MSFX, each driven by the slave with SDIR and
// PFX<signal>SSFX (PFX includes its trailing underscore; either may be empty); the _CONNECT forms
// take (PFX, MSFX, SSFX, name) and connect .PFX<signal><SFX>(name_<signal>).
`ifndef VP_AXI_PORT_SVH
`define VP_AXI_PORT_SVH

// ---- general forms ----
`define VP_AXI4_AR_R_PORT_LIST(__mdir, __sdir, __pfx, __msfx, __ssfx, __aw, __dw) \
  __mdir logic                 __pfx``arvalid``__msfx,                             \
  __sdir logic                 __pfx``arready``__ssfx,                             \
  __mdir logic [(__aw)-1:0]    __pfx``araddr``__msfx,                              \
  __mdir logic [7:0]           __pfx``arlen``__msfx,                               \
  __mdir logic [2:0]           __pfx``arsize``__msfx,                              \
  __mdir logic [1:0]           __pfx``arburst``__msfx,                             \
  __sdir logic                 __pfx``rvalid``__ssfx,                              \
  __mdir logic                 __pfx``rready``__msfx,                              \
  __sdir logic [(__dw)-1:0]    __pfx``rdata``__ssfx,                               \
  __sdir logic [1:0]           __pfx``rresp``__ssfx,                               \
  __sdir logic                 __pfx``rlast``__ssfx

`define VP_AXI4_AW_W_B_PORT_LIST(__mdir, __sdir, __pfx, __msfx, __ssfx, __aw, __dw) \
  __mdir logic                 __pfx``awvalid``__msfx,                               \
  __sdir logic                 __pfx``awready``__ssfx,                               \
  __mdir logic [(__aw)-1:0]    __pfx``awaddr``__msfx,                                \
  __mdir logic [7:0]           __pfx``awlen``__msfx,                                 \
  __mdir logic [2:0]           __pfx``awsize``__msfx,                                \
  __mdir logic [1:0]           __pfx``awburst``__msfx,                               \
  __mdir logic                 __pfx``wvalid``__msfx,                                \
  __sdir logic                 __pfx``wready``__ssfx,                                \
  __mdir logic [(__dw)-1:0]    __pfx``wdata``__msfx,                                 \
  __mdir logic [(__dw)/8-1:0]  __pfx``wstrb``__msfx,                                 \
  __mdir logic                 __pfx``wlast``__msfx,                                 \
  __sdir logic                 __pfx``bvalid``__ssfx,                                \
  __mdir logic                 __pfx``bready``__msfx,                                \
  __sdir logic [1:0]           __pfx``bresp``__ssfx

`define VP_AXI_LITE_PORT_LIST(__mdir, __sdir, __pfx, __msfx, __ssfx, __aw) \
  __mdir logic              __pfx``awvalid``__msfx,                         \
  __sdir logic              __pfx``awready``__ssfx,                         \
  __mdir logic [(__aw)-1:0] __pfx``awaddr``__msfx,                          \
  __mdir logic              __pfx``wvalid``__msfx,                          \
  __sdir logic              __pfx``wready``__ssfx,                          \
  __mdir logic [31:0]       __pfx``wdata``__msfx,                           \
  __mdir logic [3:0]        __pfx``wstrb``__msfx,                           \
  __sdir logic              __pfx``bvalid``__ssfx,                          \
  __mdir logic              __pfx``bready``__msfx,                          \
  __sdir logic [1:0]        __pfx``bresp``__ssfx,                           \
  __mdir logic              __pfx``arvalid``__msfx,                         \
  __sdir logic              __pfx``arready``__ssfx,                         \
  __mdir logic [(__aw)-1:0] __pfx``araddr``__msfx,                          \
  __sdir logic              __pfx``rvalid``__ssfx,                          \
  __mdir logic              __pfx``rready``__msfx,                          \
  __sdir logic [31:0]       __pfx``rdata``__ssfx,                           \
  __sdir logic [1:0]        __pfx``rresp``__ssfx

`define VP_AXI4_AR_R_CONNECT(__pfx, __msfx, __ssfx, __name) \
  .__pfx``arvalid``__msfx(__name``_arvalid),                 \
  .__pfx``arready``__ssfx(__name``_arready),                 \
  .__pfx``araddr``__msfx (__name``_araddr),                  \
  .__pfx``arlen``__msfx  (__name``_arlen),                   \
  .__pfx``arsize``__msfx (__name``_arsize),                  \
  .__pfx``arburst``__msfx(__name``_arburst),                 \
  .__pfx``rvalid``__ssfx (__name``_rvalid),                  \
  .__pfx``rready``__msfx (__name``_rready),                  \
  .__pfx``rdata``__ssfx  (__name``_rdata),                   \
  .__pfx``rresp``__ssfx  (__name``_rresp),                   \
  .__pfx``rlast``__ssfx  (__name``_rlast)

`define VP_AXI4_AW_W_B_CONNECT(__pfx, __msfx, __ssfx, __name) \
  .__pfx``awvalid``__msfx(__name``_awvalid),                   \
  .__pfx``awready``__ssfx(__name``_awready),                   \
  .__pfx``awaddr``__msfx (__name``_awaddr),                    \
  .__pfx``awlen``__msfx  (__name``_awlen),                     \
  .__pfx``awsize``__msfx (__name``_awsize),                    \
  .__pfx``awburst``__msfx(__name``_awburst),                   \
  .__pfx``wvalid``__msfx (__name``_wvalid),                    \
  .__pfx``wready``__ssfx (__name``_wready),                    \
  .__pfx``wdata``__msfx  (__name``_wdata),                     \
  .__pfx``wstrb``__msfx  (__name``_wstrb),                     \
  .__pfx``wlast``__msfx  (__name``_wlast),                     \
  .__pfx``bvalid``__ssfx (__name``_bvalid),                    \
  .__pfx``bready``__msfx (__name``_bready),                    \
  .__pfx``bresp``__ssfx  (__name``_bresp)

`define VP_AXI_LITE_CONNECT(__pfx, __msfx, __ssfx, __name) \
  .__pfx``awvalid``__msfx(__name``_awvalid),                \
  .__pfx``awready``__ssfx(__name``_awready),                \
  .__pfx``awaddr``__msfx (__name``_awaddr),                 \
  .__pfx``wvalid``__msfx (__name``_wvalid),                 \
  .__pfx``wready``__ssfx (__name``_wready),                 \
  .__pfx``wdata``__msfx  (__name``_wdata),                  \
  .__pfx``wstrb``__msfx  (__name``_wstrb),                  \
  .__pfx``bvalid``__ssfx (__name``_bvalid),                 \
  .__pfx``bready``__msfx (__name``_bready),                 \
  .__pfx``bresp``__ssfx  (__name``_bresp),                  \
  .__pfx``arvalid``__msfx(__name``_arvalid),                \
  .__pfx``arready``__ssfx(__name``_arready),                \
  .__pfx``araddr``__msfx (__name``_araddr),                 \
  .__pfx``rvalid``__ssfx (__name``_rvalid),                 \
  .__pfx``rready``__msfx (__name``_rready),                 \
  .__pfx``rdata``__ssfx  (__name``_rdata),                  \
  .__pfx``rresp``__ssfx  (__name``_rresp)

// Vectors of N ports (flat Vitis tops only): every signal N times as wide, port p's at lane p.
`define VP_AXI4_AR_R_PORT_VECTOR(__mdir, __sdir, __pfx, __n, __aw, __dw) \
  __mdir logic [(__n)-1:0]        __pfx``arvalid,                          \
  __sdir logic [(__n)-1:0]        __pfx``arready,                          \
  __mdir logic [(__n)*(__aw)-1:0] __pfx``araddr,                           \
  __mdir logic [(__n)*8-1:0]      __pfx``arlen,                            \
  __mdir logic [(__n)*3-1:0]      __pfx``arsize,                           \
  __mdir logic [(__n)*2-1:0]      __pfx``arburst,                          \
  __sdir logic [(__n)-1:0]        __pfx``rvalid,                           \
  __mdir logic [(__n)-1:0]        __pfx``rready,                           \
  __sdir logic [(__n)*(__dw)-1:0] __pfx``rdata,                            \
  __sdir logic [(__n)*2-1:0]      __pfx``rresp,                            \
  __sdir logic [(__n)-1:0]        __pfx``rlast

`define VP_AXI4_AW_W_B_PORT_VECTOR(__mdir, __sdir, __pfx, __n, __aw, __dw) \
  __mdir logic [(__n)-1:0]          __pfx``awvalid,                          \
  __sdir logic [(__n)-1:0]          __pfx``awready,                          \
  __mdir logic [(__n)*(__aw)-1:0]   __pfx``awaddr,                           \
  __mdir logic [(__n)*8-1:0]        __pfx``awlen,                            \
  __mdir logic [(__n)*3-1:0]        __pfx``awsize,                           \
  __mdir logic [(__n)*2-1:0]        __pfx``awburst,                          \
  __mdir logic [(__n)-1:0]          __pfx``wvalid,                           \
  __sdir logic [(__n)-1:0]          __pfx``wready,                           \
  __mdir logic [(__n)*(__dw)-1:0]   __pfx``wdata,                            \
  __mdir logic [(__n)*(__dw)/8-1:0] __pfx``wstrb,                            \
  __mdir logic [(__n)-1:0]          __pfx``wlast,                            \
  __sdir logic [(__n)-1:0]          __pfx``bvalid,                           \
  __mdir logic [(__n)-1:0]          __pfx``bready,                           \
  __sdir logic [(__n)*2-1:0]        __pfx``bresp

// ---- flat Vitis ports of a kernel top ----
`define VP_M_AXI_PORTS(__name, __aw, __dw)                              \
  `VP_AXI4_AW_W_B_PORT_LIST(output, input, __name``_, , , __aw, __dw), \
  `VP_AXI4_AR_R_PORT_LIST(output, input, __name``_, , , __aw, __dw)
`define VP_M_AXI_READ_PORTS(__name, __aw, __dw) \
  `VP_AXI4_AR_R_PORT_LIST(output, input, __name``_, , , __aw, __dw)
`define VP_M_AXI_READ_PORT_VECTOR(__name, __n, __aw, __dw) \
  `VP_AXI4_AR_R_PORT_VECTOR(output, input, __name``_, __n, __aw, __dw)
`define VP_M_AXI_PORT_VECTOR(__name, __n, __aw, __dw)                       \
  `VP_AXI4_AW_W_B_PORT_VECTOR(output, input, __name``_, __n, __aw, __dw), \
  `VP_AXI4_AR_R_PORT_VECTOR(output, input, __name``_, __n, __aw, __dw)
`define VP_S_AXI_LITE_PORTS(__name, __aw) \
  `VP_AXI_LITE_PORT_LIST(input, output, __name``_, , , __aw)

// ---- house-style ports of the modules behind them ----
`define VP_AXI_READ_MASTER_PORTS(__aw, __dw) \
  `VP_AXI4_AR_R_PORT_LIST(output, input, m_axi_, _o, _i, __aw, __dw)
`define VP_AXI_WRITE_MASTER_PORTS(__aw, __dw) \
  `VP_AXI4_AW_W_B_PORT_LIST(output, input, m_axi_, _o, _i, __aw, __dw)
`define VP_AXI_LITE_SLAVE_PORTS(__aw) \
  `VP_AXI_LITE_PORT_LIST(input, output, s_axi_, _i, _o, __aw)
`define VP_AXI_READ_MASTER_CONNECT(__name)  `VP_AXI4_AR_R_CONNECT(m_axi_, _o, _i, __name)
`define VP_AXI_WRITE_MASTER_CONNECT(__name) `VP_AXI4_AW_W_B_CONNECT(m_axi_, _o, _i, __name)
`define VP_AXI_LITE_SLAVE_CONNECT(__name)   `VP_AXI_LITE_CONNECT(s_axi_, _i, _o, __name)

// ---- protocol checkers: every signal an input ----
`define VP_AXI4_MONITOR_PORTS(__aw, __dw)                           \
  `VP_AXI4_AW_W_B_PORT_LIST(input, input, , _i, _i, __aw, __dw),   \
  `VP_AXI4_AR_R_PORT_LIST(input, input, , _i, _i, __aw, __dw)
`define VP_AXI_LITE_MONITOR_PORTS(__aw) \
  `VP_AXI_LITE_PORT_LIST(input, input, , _i, _i, __aw)
`define VP_AXI4_MONITOR_CONNECT(__name)                    \
  `VP_AXI4_AW_W_B_CONNECT(, _i, _i, __name),              \
  `VP_AXI4_AR_R_CONNECT(, _i, _i, __name)
`define VP_AXI_LITE_MONITOR_CONNECT(__name) `VP_AXI_LITE_CONNECT(, _i, _i, __name)

`endif  // VP_AXI_PORT_SVH
