#include "web_tests/servers/reference/file_server.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace switchboard::reference_server {
namespace {

namespace fs = std::filesystem;

class FileServerTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "file_server_test.XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    base_ = pattern;
    fs::create_directories(base_ / "root/sub");
    std::ofstream(base_ / "root/page.html") << "<p>";
    std::ofstream(base_ / "root/sub/index.html") << "index";
    std::ofstream(base_ / "secret.txt") << "secret";
    fs::create_symlink(base_ / "secret.txt", base_ / "root/escape.txt");
    fs::create_symlink(base_ / "root/page.html", base_ / "root/inside.html");
  }
  void TearDown() override { fs::remove_all(base_); }

  fs::path base_;
};

TEST_F(FileServerTest, ResolvesFilesAndDirectoryIndexes) {
  const FileServer files((base_ / "root").string());
  FileServer::Lookup lookup = files.Resolve("/page.html");
  ASSERT_EQ(lookup.outcome, FileServer::Lookup::Outcome::kFound);
  EXPECT_EQ(fs::path(lookup.file_path), fs::canonical(base_ / "root/page.html"));
  EXPECT_EQ(files.Resolve("/sub/").outcome, FileServer::Lookup::Outcome::kFound);
  EXPECT_EQ(files.Resolve("/p%61ge.html").outcome, FileServer::Lookup::Outcome::kFound);
  EXPECT_EQ(files.Resolve("/inside.html").outcome, FileServer::Lookup::Outcome::kFound);
}

TEST_F(FileServerTest, NeverLeavesTheRoot) {
  const FileServer files((base_ / "root").string());
  using Outcome = FileServer::Lookup::Outcome;
  EXPECT_EQ(files.Resolve("/../secret.txt").outcome, Outcome::kForbidden);
  EXPECT_EQ(files.Resolve("/sub/../../secret.txt").outcome, Outcome::kForbidden);
  EXPECT_EQ(files.Resolve("/%2e%2e/secret.txt").outcome, Outcome::kForbidden);
  EXPECT_EQ(files.Resolve("/sub/%2E%2E/%2E%2E/secret.txt").outcome, Outcome::kForbidden);
  EXPECT_EQ(files.Resolve("/./page.html").outcome, Outcome::kForbidden);
  EXPECT_EQ(files.Resolve("/escape.txt").outcome, Outcome::kForbidden);
  EXPECT_EQ(files.Resolve("/page.html%00.txt").outcome, Outcome::kNotFound);
  EXPECT_EQ(files.Resolve("/missing.html").outcome, Outcome::kNotFound);
  EXPECT_EQ(files.Resolve("/sub").outcome, Outcome::kNotFound);  // a directory is not a file
  EXPECT_EQ(files.Resolve("relative").outcome, Outcome::kNotFound);
  EXPECT_EQ(files.Resolve("/%zz").outcome, Outcome::kNotFound);
}

TEST_F(FileServerTest, WithoutARootNothingIsServed) {
  const FileServer files("");
  EXPECT_FALSE(files.has_root());
  EXPECT_EQ(files.Resolve("/page.html").outcome, FileServer::Lookup::Outcome::kNotFound);
}

TEST(ContentTypeTest, NamesTheTypesTestsUse) {
  EXPECT_EQ(ContentTypeFor("/a/b.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("b.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("b.json"), "application/json");
  EXPECT_EQ(ContentTypeFor("b-expected.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("b.bin"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("html"), "application/octet-stream");
}

}  // namespace
}  // namespace switchboard::reference_server
