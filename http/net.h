#pragma once

// Asio and Beast for the files of http/ only. Boost 1.74's Asio uses
// std::exchange without including <utility>, so it comes first (its own block,
// so clang-format keeps it there).
#include <string_view>
#include <utility>

// Now Asio and Beast.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace mentorlog::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;

// A connection's strand, socket and stream, with the executor's type spelled
// out: the type-erased default (any_io_executor) allocates a copy of the
// strand each time an operation asks for a tracked executor, about 19 times
// per HTTP request.
using Strand = net::strand<net::io_context::executor_type>;
using Socket = net::basic_stream_socket<tcp, Strand>;
using Stream = beast::basic_stream<tcp, Strand>;

// Boost 1.74's string_view is not std::string_view.
inline std::string_view ToStd(beast::string_view s) { return {s.data(), s.size()}; }

}  // namespace mentorlog::http
