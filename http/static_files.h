#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace mentorlog::http {

// The reference web client's files (web/), served at `/` by the router. Beast-free
// and stateless: each call reads the file afresh, so an edited file is served at
// once. Thread-safe.

// A file to send: its bytes and the Content-Type for its extension.
struct StaticFile {
  std::string content_type;
  std::string body;
};

// Largest file served; a larger one is answered as missing. Default: 4 MiB.
inline constexpr std::size_t kMaxStaticFileBytes = 4 << 20;

// The file under `root` that the already percent-decoded request path
// `url_path` names: "/" and any path ending in "/" name that folder's
// index.html. nullopt (the caller answers 404) when the path is not absolute, has
// an empty, ".", ".." or hidden (".git") segment, a backslash or NUL; when the
// file does not exist, is not a regular file, or resolves (through symlinks)
// outside the canonical `root`.
std::optional<std::filesystem::path> ResolveStaticPath(const std::filesystem::path& root,
                                                       std::string_view url_path);

// ResolveStaticPath, then the file's bytes; nullopt when it cannot be resolved,
// read, or is over kMaxStaticFileBytes.
std::optional<StaticFile> LoadStaticFile(const std::filesystem::path& root,
                                         std::string_view url_path);

// The Content-Type for `file`'s extension (text types with charset=utf-8);
// application/octet-stream for an unknown one.
std::string_view ContentTypeFor(const std::filesystem::path& file);

}  // namespace mentorlog::http
