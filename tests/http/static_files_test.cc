// The web client's files (http/static_files.h): resolved in process, and served
// by the real `mentorlog serve` binary at / with the right Content-Type, while
// every way out of the web root (.., encoded .., absolute paths, hidden files,
// symlinks) is a 404 and /v1 is untouched.
#include "http/static_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/http_client.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace mentorlog::http {
namespace {

namespace fs = std::filesystem;
using testing::HttpClient;
using testing::ServerProcess;

void Write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

// A web root with an index, a module, a stylesheet, a sub-folder, a hidden file,
// a symlink inside it and two leading out of it; and a secret beside it.
class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_.path() / "web";
    Write(root_ / "index.html", "<!doctype html><title>index</title>");
    Write(root_ / "app.js", "export const answer = 42;");
    Write(root_ / "style.css", "body { margin: 0 }");
    Write(root_ / "screens" / "index.html", "screens index");
    Write(root_ / "screens" / "mentor.js", "export {};");
    Write(root_ / ".hidden", "hidden");
    Write(dir_.path() / "secret.txt", "the secret");
    fs::create_directories(root_ / "empty");
    fs::create_symlink(root_ / "app.js", root_ / "alias.js");
    fs::create_symlink(dir_.path() / "secret.txt", root_ / "escape.txt");
    fs::create_directory_symlink(dir_.path(), root_ / "up");
  }

  testing::TempDir dir_;
  fs::path root_;
};

TEST_F(StaticFilesTest, ResolvesFilesAndIndexes) {
  EXPECT_EQ(ResolveStaticPath(root_, "/"), fs::canonical(root_ / "index.html"));
  EXPECT_EQ(ResolveStaticPath(root_, "/app.js"), fs::canonical(root_ / "app.js"));
  EXPECT_EQ(ResolveStaticPath(root_, "/screens/"), fs::canonical(root_ / "screens/index.html"));
  EXPECT_EQ(ResolveStaticPath(root_, "/alias.js"), fs::canonical(root_ / "app.js"));
  const auto js = LoadStaticFile(root_, "/app.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->body, "export const answer = 42;");
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
}

TEST_F(StaticFilesTest, RefusesEveryWayOutOfTheRoot) {
  for (const char* path :
       {"/../secret.txt", "/screens/../../secret.txt", "/./app.js", "//etc/passwd",
        "/up/secret.txt", "/escape.txt", "/.hidden", "/missing.js", "/empty", "/empty/", "/screens",
        "app.js", "", "/app.js/", "/screens\\mentor.js"}) {
    EXPECT_FALSE(ResolveStaticPath(root_, path)) << path;
  }
  EXPECT_FALSE(ResolveStaticPath(root_, std::string("/app.js\0x", 9))) << "NUL";
  EXPECT_FALSE(ResolveStaticPath("", "/index.html"));
  EXPECT_FALSE(ResolveStaticPath(root_ / "missing", "/index.html"));
}

TEST_F(StaticFilesTest, ContentTypesByExtension) {
  EXPECT_EQ(ContentTypeFor("a/index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("style.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("live.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("icon.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("data.bin"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("Makefile"), "application/octet-stream");
}

TEST_F(StaticFilesTest, ServerServesTheWebRootAtSlash) {
  ServerProcess server(MENTORLOG_BINARY, dir_.path() / "data", {"--web-root", root_.string()});
  HttpClient client(server.port());

  const auto index = client.Get("/");
  EXPECT_EQ(index.status, 200u);
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(index.body, "<!doctype html><title>index</title>");
  const auto js = client.Get("/app.js?v=1");
  EXPECT_EQ(js.status, 200u);
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js.body, "export const answer = 42;");
  const auto css = client.Get("/style.css");
  EXPECT_EQ(css.status, 200u);
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  EXPECT_EQ(client.Get("/screens/mentor.js").status, 200u);

  // The API is unchanged: /v1 is never a file, and needs its token.
  const auto api = client.Get("/v1/nothing", ServerProcess::Token("A-1", "admin"));
  EXPECT_EQ(api.status, 404u);
  EXPECT_EQ(api.Json()["error"]["code"], "not_found");
  EXPECT_EQ(client.Get("/v1/views/my-mentees").status, 401u);
  EXPECT_EQ(client.Get("/healthz").status, 200u);
  const auto post = client.Send("POST", "/index.html", "{}", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(post.status, 405u);
  EXPECT_EQ(post.Json()["error"]["code"], "method_not_allowed");
}

TEST_F(StaticFilesTest, ServerRefusesTraversalWith404) {
  ServerProcess server(MENTORLOG_BINARY, dir_.path() / "data", {"--web-root", root_.string()});
  HttpClient client(server.port());
  for (const char* target :
       {"/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
        "/screens/%2e%2e/..%2fsecret.txt", "/..%5csecret.txt", "/%2fetc%2fpasswd", "//etc/passwd",
        "/up/secret.txt", "/escape.txt", "/.hidden", "/%2ehidden", "/missing.js", "/empty/",
        "/app.js%00.html"}) {
    const auto reply = client.Get(target);
    EXPECT_EQ(reply.status, 404u) << target;
    EXPECT_EQ(reply.body.find("the secret"), std::string::npos) << target;
    EXPECT_EQ(reply.Json()["error"]["code"], "not_found") << target;
  }
  // An absolute-form target naming a file outside the root is no better.
  const std::string raw = client.Raw("GET " + (dir_.path() / "secret.txt").string() +
                                         "/../secret.txt HTTP/1.1\r\nHost: x\r\n"
                                         "Connection: close\r\n\r\n",
                                     std::chrono::seconds(5));
  EXPECT_EQ(raw.find("the secret"), std::string::npos);
}

TEST_F(StaticFilesTest, EmptyWebRootServesNothing) {
  ServerProcess server(MENTORLOG_BINARY, dir_.path() / "data", {"--web-root", ""});
  HttpClient client(server.port());
  const auto index = client.Get("/");
  EXPECT_EQ(index.status, 404u);
  EXPECT_EQ(index.Json()["error"]["code"], "not_found");
}

TEST_F(StaticFilesTest, DefaultWebRootIsTheSourceTreesWebFolder) {
  ServerProcess server(MENTORLOG_BINARY, dir_.path() / "data");
  HttpClient client(server.port());
  const auto index = client.Get("/");
  EXPECT_EQ(index.status, 200u);
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_NE(index.body.find("<html"), std::string::npos);
}

}  // namespace
}  // namespace mentorlog::http
