#include "http/static_files.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

namespace mentorlog::http {
namespace {

// True when every component of `root` is a leading component of `path`; both
// canonical.
bool IsWithin(const std::filesystem::path& root, const std::filesystem::path& path) {
  const auto [r, p] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return r == root.end();
}

// One segment of a URL path that may name a file or folder under the root.
bool IsSafeSegment(std::string_view segment) {
  if (segment.empty() || segment.front() == '.') return false;  // "", ".", "..", ".git"
  return segment.find_first_of(std::string_view("\\\0:", 3)) == std::string_view::npos;
}

}  // namespace

std::optional<std::filesystem::path> ResolveStaticPath(const std::filesystem::path& root,
                                                       std::string_view url_path) {
  if (root.empty() || url_path.empty() || url_path.front() != '/') return std::nullopt;
  std::string relative(url_path.substr(1));
  if (relative.empty() || relative.back() == '/') relative += "index.html";
  std::filesystem::path candidate = root;
  std::string_view rest = relative;
  while (true) {
    const size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (!IsSafeSegment(segment)) return std::nullopt;
    candidate /= std::filesystem::path(std::string(segment));
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  // Symlinks are followed, but the target must still lie inside the root.
  std::error_code ec;
  const auto canonical_root = std::filesystem::canonical(root, ec);
  if (ec) return std::nullopt;
  const auto canonical_file = std::filesystem::canonical(candidate, ec);
  if (ec || !IsWithin(canonical_root, canonical_file)) return std::nullopt;
  if (!std::filesystem::is_regular_file(canonical_file, ec) || ec) return std::nullopt;
  return canonical_file;
}

std::optional<StaticFile> LoadStaticFile(const std::filesystem::path& root,
                                         std::string_view url_path) {
  const auto file = ResolveStaticPath(root, url_path);
  if (!file) return std::nullopt;
  std::error_code ec;
  const auto size = std::filesystem::file_size(*file, ec);
  if (ec || size > kMaxStaticFileBytes) return std::nullopt;
  std::ifstream in(*file, std::ios::binary);
  if (!in) return std::nullopt;
  StaticFile out;
  out.content_type = std::string(ContentTypeFor(*file));
  out.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad() || out.body.size() > kMaxStaticFileBytes) return std::nullopt;
  return out;
}

std::string_view ContentTypeFor(const std::filesystem::path& file) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".md", "text/markdown; charset=utf-8"},
      {".woff2", "font/woff2"},
  }};
  const std::string extension = file.extension().string();
  for (const auto& [ext, type] : kTypes) {
    if (ext == extension) return type;
  }
  return "application/octet-stream";
}

}  // namespace mentorlog::http
