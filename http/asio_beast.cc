// The one translation unit that compiles Asio and Beast (separate compilation:
// BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION are set
// for every user of mentorlog_http).
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
#include <utility>
