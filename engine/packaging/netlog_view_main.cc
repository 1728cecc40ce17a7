// netlog-view, as installed: runs the net log viewer (scripts/netlog-view, installed as
// share/switchboard/netlog-view.js) on the package's own libnode.so.108, found through this
// program's RUNPATH like libswitchboard.so's, so the installed tool needs no separate Node.js.
// The script is found relative to this executable (/proc/self/exe), which keeps the installed
// prefix relocatable; the build tree has the same layout (bin/ and share/switchboard/).
#include <node.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#ifndef SWITCHBOARD_NETLOG_VIEW_SCRIPT
#error "SWITCHBOARD_NETLOG_VIEW_SCRIPT: the script's path relative to the executable's directory"
#endif

int main(int argc, char* argv[]) {
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) {
    std::fprintf(stderr, "netlog-view: cannot find its own executable: %s\n",
                 error.message().c_str());
    return 1;
  }
  const std::filesystem::path script =
      (self.parent_path() / SWITCHBOARD_NETLOG_VIEW_SCRIPT).lexically_normal();
  if (!std::filesystem::is_regular_file(script, error)) {
    std::fprintf(stderr, "netlog-view: the viewer script %s is missing\n", script.c_str());
    return 1;
  }
  // node::Start() hands argv to uv_setup_args(), which expects the strings in one block (as
  // the kernel lays them out), so the new command line `netlog-view SCRIPT ARGS...` is built
  // that way: node runs SCRIPT and gives it ARGS (process.argv.slice(2)), options included.
  std::vector<std::string> arguments;
  arguments.emplace_back(argc > 0 ? argv[0] : "netlog-view");
  arguments.push_back(script.string());
  for (int i = 1; i < argc; ++i) arguments.emplace_back(argv[i]);
  std::string block;
  for (const std::string& argument : arguments) block.append(argument).push_back('\0');
  std::vector<char*> pointers;
  for (std::size_t offset = 0; offset < block.size(); offset = block.find('\0', offset) + 1) {
    pointers.push_back(block.data() + offset);
  }
  pointers.push_back(nullptr);
  return node::Start(static_cast<int>(arguments.size()), pointers.data());
}
