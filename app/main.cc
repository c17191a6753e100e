// `mentorlog` — one executable with the subcommands of API.md. main only parses
// flags and wires the folders together; the work lives in them.
#include <spdlog/async.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <shared_mutex>
#include <string_view>
#include <thread>

#include "app/command_processor.h"
#include "app/demo.h"
#include "app/flags.h"
#include "events/envelope.h"
#include "http/event_hub.h"
#include "http/jwt.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "projections/projection_engine.h"
#include "replay/export_import.h"
#include "replay/replay.h"
#include "replay/verify.h"
#include "store/rocksdb_event_store.h"

namespace mentorlog::app {
namespace {

constexpr std::string_view kUsage =
    "usage: mentorlog <command> [--flag value ...]\n"
    "  serve   [--data DIR] [--listen 127.0.0.1:8080] [--secret-file F] [--log-format text|json]\n"
    "          [--max-body-bytes N] [--request-timeout-ms N] [--max-connections N]\n"
    "          [--ws-queue-messages N] [--web-root DIR]\n"
    "  token   --sub ID --role admin|mentor|mentee|auditor [--ttl SECONDS] [--data DIR]\n"
    "  verify  --data DIR [--from N | --anchor POSITION:HASH]   exit 0 intact, 1 tampered, 2 "
    "error\n"
    "  replay  --data DIR [--after N] [--until N|TIME] [--stream S] [--type T] [--actor A]\n"
    "  export  --data DIR > log.jsonl\n"
    "  import  --data DIR < log.jsonl   (DIR/log must be missing or empty)\n"
    "  rebuild --data DIR [--projection NAME]   offline, while no server runs\n"
    "  demo    [--data DIR]   seeds a realistic programme into an empty log\n"
    "Flags also read MENTORLOG_<FLAG> (MENTORLOG_DATA, MENTORLOG_LISTEN, MENTORLOG_SECRET).\n";

// spdlog's %v escaped for a JSON string, for --log-format json.
class JsonEscapedMessage : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const std::string escaped =
        nlohmann::json(std::string(msg.payload.data(), msg.payload.size())).dump();
    dest.append(escaped.data() + 1, escaped.data() + escaped.size() - 1);  // without quotes
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return spdlog::details::make_unique<JsonEscapedMessage>();
  }
};

// Lines into a stdio stream, which is flushed only when asked (spdlog's own
// stdout sinks flush after every line): lines logged in a burst reach the file
// or pipe in few write(2)s. On a terminal stdout is line-buffered anyway.
class StdioSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit StdioSink(std::FILE* file) : file_(file) {}

 private:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    std::fwrite(line.data(), 1, line.size(), file_);
  }
  void flush_() override { std::fflush(file_); }

  std::FILE* file_;
};

// The logger of the one line per request (kRequestLogger) is flushed at most
// this long after a line, or sooner by any other line (every other line is
// flushed at once, with whatever request lines came before it).
constexpr std::chrono::seconds kRequestLogFlush{1};
constexpr char kRequestLogger[] = "requests";

void ConfigureLogs(const Flags& flags, bool to_stdout) {
  // One line per request must not cost the request a write(2) under a global
  // lock: log through a background thread, dropping the oldest lines rather
  // than blocking when it falls behind.
  spdlog::init_thread_pool(65536, 1);
  const auto sink = std::make_shared<StdioSink>(to_stdout ? stdout : stderr);
  if (flags.GetOr("log-format", "text") == "json") {
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    formatter->add_flag<JsonEscapedMessage>('*').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":"%*"})");
    sink->set_formatter(std::move(formatter));
  }
  // Both loggers queue to the one background thread, so lines keep their order.
  const auto async = [&](const char* name) {
    return std::make_shared<spdlog::async_logger>(name, sink, spdlog::thread_pool(),
                                                  spdlog::async_overflow_policy::overrun_oldest);
  };
  auto main_logger = async("mentorlog");
  main_logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(std::move(main_logger));
  spdlog::register_logger(async(kRequestLogger));
  spdlog::flush_every(kRequestLogFlush);
}

std::filesystem::path DataDir(const Flags& flags) { return flags.GetOr("data", "data"); }

// The signing secret: MENTORLOG_SECRET, else --secret-file, else DIR/secret,
// created with a random value on first use so a fresh install works at once.
std::optional<std::string> Secret(const Flags& flags, bool create) {
  if (const char* secret = std::getenv("MENTORLOG_SECRET"); secret && *secret) return secret;
  std::filesystem::path file = flags.GetOr("secret-file", "");
  if (file.empty()) file = DataDir(flags) / "secret";
  std::ifstream in(file);
  std::string secret;
  if (in && std::getline(in, secret) && !secret.empty()) return secret;
  if (!create || flags.Get("secret-file")) return std::nullopt;
  std::filesystem::create_directories(file.parent_path());
  secret = events::NewUuid() + events::NewUuid();
  std::ofstream out(file);
  out << secret << "\n";
  out.close();
  chmod(file.c_str(), 0600);
  spdlog::info("created a signing secret in {}", file.string());
  return secret;
}

int Token(const Flags& flags) {
  const auto sub = flags.Get("sub");
  const auto role = flags.Get("role");
  if (!sub || !role) {
    std::fputs(kUsage.data(), stderr);
    return 2;
  }
  if (*role != "admin" && *role != "mentor" && *role != "mentee" && *role != "auditor") {
    spdlog::error("role must be admin, mentor, mentee or auditor");
    return 2;
  }
  const auto secret = Secret(flags, /*create=*/true);
  if (!secret) {
    spdlog::error("no secret: set MENTORLOG_SECRET or --secret-file");
    return 2;
  }
  const std::int64_t ttl = std::stoll(flags.GetOr("ttl", "86400"));
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  std::printf("%s\n", http::Jwt(*secret).Sign({*sub, *role, now + ttl, std::nullopt}).c_str());
  return 0;
}

// The event log inside a data directory: every subcommand takes the same
// --data DIR as `serve`.
std::filesystem::path LogDir(const Flags& flags) { return DataDir(flags) / "log"; }

// Opens the log read-only (works while a server runs on the directory).
std::expected<std::unique_ptr<store::RocksDbEventStore>, store::StoreError> OpenReadOnly(
    const Flags& flags) {
  store::StoreOptions options;
  options.read_only = true;
  return store::RocksDbEventStore::Open(LogDir(flags), options);
}

int Verify(const Flags& flags) {
  replay::VerifyOptions options;
  if (const auto from = flags.Get("from")) options.from = std::stoull(*from);
  if (const auto anchor = flags.Get("anchor")) {
    const auto parsed = replay::ParseAnchor(*anchor);
    if (!parsed) {
      spdlog::error("{}", parsed.error());
      return 2;
    }
    options.anchor = *parsed;
  }
  const auto result = replay::VerifyStore(LogDir(flags), options);
  if (result) {
    std::printf("%s\n", replay::FormatVerifyReport(*result).c_str());
  } else {
    spdlog::error("{}", result.error());
  }
  return replay::VerifyExitCode(result);
}

int Replay(const Flags& flags) {
  auto store = OpenReadOnly(flags);
  if (!store) {
    spdlog::error("{}", store.error().message);
    return 2;
  }
  replay::ReplayFilter filter;
  filter.after = std::stoull(flags.GetOr("after", "0"));
  if (const auto until = flags.Get("until")) {
    if (const auto set = replay::SetUntil(filter, *until); !set) {
      spdlog::error("{}", set.error());
      return 2;
    }
  }
  filter.stream = flags.Get("stream");
  filter.type = flags.Get("type");
  filter.actor = flags.Get("actor");
  const auto replayed = replay::Replay(**store, filter, std::cout);
  std::cout.flush();
  if (!replayed) {
    spdlog::error("{}", replayed.error());
    return 1;
  }
  return 0;
}

int Export(const Flags& flags) {
  auto store = OpenReadOnly(flags);
  if (!store) {
    spdlog::error("{}", store.error().message);
    return 2;
  }
  const auto exported = replay::Export(**store, std::cout);
  std::cout.flush();
  if (!exported) {
    spdlog::error("{}", exported.error());
    return 1;
  }
  spdlog::info("exported {} events", *exported);
  return 0;
}

int Import(const Flags& flags) {
  const auto imported = replay::Import(std::cin, LogDir(flags));
  if (!imported) {
    spdlog::error("{}", imported.error().message);
    return 1;
  }
  spdlog::info("imported into {}", LogDir(flags).string());
  return 0;
}

// Offline rebuild: folds the log afresh into every projection (or --projection
// NAME) and snapshots the result, so the next `serve` starts from it. Progress
// as a bar on a terminal, as plain lines otherwise.
int Rebuild(const Flags& flags) {
  auto store = OpenReadOnly(flags);
  if (!store) {
    spdlog::error("{}", store.error().message);
    return 2;
  }
  projections::ProjectionEngine::Options options;
  options.snapshot_dir = DataDir(flags) / "projections";
  auto engine = projections::ProjectionEngine::Open(**store, options);
  if (!engine) {
    spdlog::error("{}", engine.error().message);
    return 1;
  }
  std::vector<std::string> names;
  for (const auto& status : (*engine)->Status()) {
    if (!flags.Get("projection") || status.name == *flags.Get("projection")) {
      names.push_back(status.name);
    }
  }
  if (names.empty()) {
    spdlog::error("no projection named {}", flags.GetOr("projection", ""));
    return 2;
  }
  const bool terminal = isatty(STDERR_FILENO) != 0;
  for (const auto& name : names) {
    if (const auto started = (*engine)->StartRebuild(name); !started) {
      spdlog::error("{}", started.error().message);
      return 1;
    }
    for (;;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(terminal ? 200 : 1000));
      const auto all = (*engine)->Status();
      const auto it =
          std::find_if(all.begin(), all.end(), [&](const auto& s) { return s.name == name; });
      if (it == all.end() || it->state != "rebuilding" || !it->rebuild) break;
      const double position = it->rebuild->value("position", 0.0);
      const double total = std::max(1.0, it->rebuild->value("total", 1.0));
      const double rate = it->rebuild->value("events_per_second", 0.0);
      const double left = rate > 0 ? (total - position) / rate : 0;
      if (terminal) {
        const int width = 30;
        const int done = static_cast<int>(width * position / total);
        std::fprintf(stderr, "\r%-16s [%s%s] %3.0f%% %9.0f events/s %5.0fs left", name.c_str(),
                     std::string(static_cast<size_t>(done), '#').c_str(),
                     std::string(static_cast<size_t>(width - done), ' ').c_str(),
                     100 * position / total, rate, left);
      } else {
        std::fprintf(stderr, "%s %.0f/%.0f events %.0f events/s %.0fs left\n", name.c_str(),
                     position, total, rate, left);
      }
    }
    const auto all = (*engine)->Status();
    const auto it =
        std::find_if(all.begin(), all.end(), [&](const auto& s) { return s.name == name; });
    if (terminal) std::fputc('\n', stderr);
    if (it == all.end() || it->state != "running") {
      spdlog::error("rebuild of {} failed ({})", name, it == all.end() ? "gone" : it->state);
      return 1;
    }
    std::printf("%s rebuilt at position %llu\n", name.c_str(),
                static_cast<unsigned long long>(it->position));
  }
  if (const auto saved = (*engine)->SnapshotNow(); !saved) {
    spdlog::error("{}", saved.error().message);
    return 1;
  }
  return 0;
}

int Demo(const Flags& flags) {
  const auto secret = Secret(flags, /*create=*/true);
  const std::filesystem::path data = DataDir(flags);
  std::filesystem::create_directories(data);
  auto store = store::RocksDbEventStore::Open(LogDir(flags));
  if (!store) {
    spdlog::error("{}", store.error().message);
    return 1;
  }
  if ((*store)->GetHead().position > 0) {
    spdlog::error("{} already holds a log; demo seeds an empty one", (data / "log").string());
    return 1;
  }
  auto processor = CommandProcessor::Start(**store);
  if (!processor) {
    spdlog::error("{}", processor.error().message);
    return 1;
  }
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const auto summary = SeedDemo(**processor, now);
  if (!summary) {
    spdlog::error("demo: {}", summary.error());
    return 1;
  }
  std::printf(
      "seeded %d mentors, %d students, %d meetings, %d leave requests, %d alerts "
      "(%llu commands)\n",
      summary->mentors, summary->students, summary->meetings, summary->leave_requests,
      summary->alerts_raised, static_cast<unsigned long long>(summary->commands));
  const std::int64_t expires = now / 1000 + 7 * 86400;
  const http::Jwt jwt(*secret);
  for (const auto& [id, role] :
       {std::pair{summary->admin_id, "admin"}, std::pair{summary->mentor_id, "mentor"},
        std::pair{summary->mentee_id, "mentee"}, std::pair{summary->auditor_id, "auditor"}}) {
    std::printf("%-7s %-11s %s\n", role, id.c_str(),
                jwt.Sign({id, role, expires, std::nullopt}).c_str());
  }
  return 0;
}

// Forwards committed batches to consumers created after the store, and lets
// them be detached safely before they are destroyed.
class CommitFanOut {
 public:
  void Attach(projections::ProjectionEngine* engine, http::EventHub* hub) {
    std::unique_lock lock(mu_);
    engine_ = engine;
    hub_ = hub;
  }
  // Returns once no call is in progress; none reaches the consumers afterwards.
  void Detach() { Attach(nullptr, nullptr); }

  void operator()(const store::CommittedBatch& batch) const {
    std::shared_lock lock(mu_);
    if (engine_) engine_->OnCommitted(batch);
    if (hub_) hub_->Publish(batch);
  }

 private:
  mutable std::shared_mutex mu_;
  projections::ProjectionEngine* engine_ = nullptr;
  http::EventHub* hub_ = nullptr;
};

int Serve(const Flags& flags) {
  const auto secret = Secret(flags, /*create=*/true);
  if (!secret) {
    spdlog::error("no secret: set MENTORLOG_SECRET or --secret-file");
    return 2;
  }
  const std::filesystem::path data = DataDir(flags);
  std::filesystem::create_directories(data);
  const std::string listen = flags.GetOr("listen", "127.0.0.1:8080");
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos) {
    spdlog::error("--listen must be HOST:PORT");
    return 2;
  }

  auto fan_out = std::make_shared<CommitFanOut>();
  store::StoreOptions store_options;
  store_options.commit_hook = [fan_out](store::CommittedBatch batch) { (*fan_out)(batch); };
  auto store = store::RocksDbEventStore::Open(LogDir(flags), store_options);
  if (!store) {
    spdlog::error("{}", store.error().message);
    return 1;
  }
  // Snapshots of the write state and the Audience (a database of its own beside
  // the projections'), so a start folds only the log after them.
  auto state_snapshots = projections::SnapshotStore::Open(data / "state");
  if (!state_snapshots) {
    spdlog::error("{}", state_snapshots.error().message);
    return 1;
  }
  // Where a start's time goes. (Loading the three on two threads was tried:
  // restoring is bound by memory, not by one core, and it gained nothing.)
  using StartClock = std::chrono::steady_clock;
  const auto ms_since = [](StartClock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(StartClock::now() - t).count();
  };
  const auto resident_mib = [] {  // the second field of statm: resident pages
    std::ifstream statm("/proc/self/statm");
    std::uint64_t size = 0;
    std::uint64_t resident = 0;
    statm >> size >> resident;
    return resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE)) >> 20;
  };
  auto phase = StartClock::now();
  CommandProcessor::Options processor_options;
  processor_options.snapshots = state_snapshots->get();
  auto processor = CommandProcessor::Start(**store, std::move(processor_options));
  if (!processor) {
    spdlog::error("{}", processor.error().message);
    return 1;
  }
  const auto write_state_ms = ms_since(phase);
  const auto write_state_mib = resident_mib();
  phase = StartClock::now();
  projections::ProjectionEngine::Options engine_options;
  engine_options.snapshot_dir = data / "projections";
  auto engine = projections::ProjectionEngine::Open(**store, engine_options);
  if (!engine) {
    spdlog::error("{}", engine.error().message);
    return 1;
  }
  const auto projections_ms = ms_since(phase);
  const auto projections_mib = resident_mib();
  phase = StartClock::now();
  http::Audience audience;
  auto hub = std::make_unique<http::EventHub>(audience);
  if (const auto loaded = hub->LoadFrom(**store, state_snapshots->get()); !loaded) {
    spdlog::error("{}", loaded.error());
    return 1;
  }
  spdlog::info(
      "loaded: write state in {} ms, projections in {} ms, audience in {} ms; resident after "
      "each: {}, {}, {} MiB",
      write_state_ms, projections_ms, ms_since(phase), write_state_mib, projections_mib,
      resident_mib());
  fan_out->Attach(engine->get(), hub.get());
  (*engine)->AddListener(
      [hub = hub.get()](std::uint64_t position) { hub->PublishViewsAdvanced(position); });

  http::Metrics metrics;
  metrics.AddCollector([store = store->get(), engine = engine->get()](std::string& out) {
    const store::WriterStats stats = store->Stats();
    out += "# TYPE mentorlog_store_commits_total counter\nmentorlog_store_commits_total " +
           std::to_string(stats.commits) + "\n";
    out += "# TYPE mentorlog_store_events_total counter\nmentorlog_store_events_total " +
           std::to_string(stats.events) + "\n";
    out += "# TYPE mentorlog_store_wal_syncs_total counter\nmentorlog_store_wal_syncs_total " +
           std::to_string(stats.wal_syncs) + "\n";
    out +=
        "# HELP mentorlog_store_commit_events Events per group commit.\n"
        "# TYPE mentorlog_store_commit_events histogram\n";
    http::AppendHistogram(out, "mentorlog_store_commit_events", "", stats.commit_events);
    out +=
        "# HELP mentorlog_store_commit_seconds Each group commit's write, fsync included.\n"
        "# TYPE mentorlog_store_commit_seconds histogram\n";
    http::AppendHistogram(out, "mentorlog_store_commit_seconds", "", stats.commit_seconds);
    out += "# TYPE mentorlog_log_head gauge\nmentorlog_log_head " +
           std::to_string(store->GetHead().position) + "\n";
    out += "# TYPE mentorlog_projection_position gauge\n# TYPE mentorlog_projection_lag gauge\n";
    for (const auto& s : engine->Status()) {
      out += "mentorlog_projection_position{projection=\"" + s.name + "\"} " +
             std::to_string(s.position) + "\n";
      out +=
          "mentorlog_projection_lag{projection=\"" + s.name + "\"} " + std::to_string(s.lag) + "\n";
    }
  });
  const http::Jwt jwt(*secret);
  http::ServerOptions server_options;
  server_options.address = listen.substr(0, colon);
  server_options.port = static_cast<unsigned short>(std::stoi(listen.substr(colon + 1)));
  // Limits (defaults in http/server.h); tests lower them to provoke each one.
  server_options.max_body_bytes =
      std::stoull(flags.GetOr("max-body-bytes", std::to_string(server_options.max_body_bytes)));
  server_options.request_timeout = std::chrono::milliseconds(std::stoll(
      flags.GetOr("request-timeout-ms", std::to_string(server_options.request_timeout.count()))));
  server_options.max_connections =
      std::stoull(flags.GetOr("max-connections", std::to_string(server_options.max_connections)));
  server_options.websocket_queue_messages = std::stoull(
      flags.GetOr("ws-queue-messages", std::to_string(server_options.websocket_queue_messages)));
  http::Services services;
  services.store = store->get();
  services.commands = processor->get();
  services.views = engine->get();
  services.jwt = &jwt;
  services.audience = &audience;
  services.metrics = &metrics;
  services.request_log = spdlog::get(kRequestLogger).get();
  // --web-root DIR: the web client served at / (docs/web.md); "" serves none.
  // Default: the source tree's web/ (MENTORLOG_DEFAULT_WEB_ROOT, set by CMake).
  services.web_root = flags.GetOr("web-root", MENTORLOG_DEFAULT_WEB_ROOT);
  if (!services.web_root.empty() && !std::filesystem::is_directory(services.web_root)) {
    spdlog::warn("--web-root {} is not a directory; the web client is not served",
                 services.web_root.string());
  }
  http::Router router(std::move(services));
  auto server = http::Server::Start(server_options, router, *hub);
  if (!server) {
    spdlog::error("{}", server.error());
    return 1;
  }
  std::printf("mentorlog serving on http://%s:%u (data in %s)\n", server_options.address.c_str(),
              (*server)->port(), data.string().c_str());
  std::fflush(stdout);

  (*server)->WaitForSignal();
  // Graceful stop: no new connections or commands; commands in flight finish
  // and are answered while the I/O threads still run. Then the I/O threads
  // stop, the commit hook's consumers are detached and stopped, connections
  // close, and the store flushes last.
  (*server)->StopAccepting();
  router.StopCommands();
  (*processor)->Drain();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // answers on the wire
  (*server)->Stop();
  processor->reset();
  fan_out->Detach();
  engine->reset();
  hub.reset();
  server->reset();
  store->reset();
  spdlog::info("stopped");
  return 0;
}

}  // namespace
}  // namespace mentorlog::app

int main(int argc, char** argv) {
  using namespace mentorlog::app;
  const std::string_view command = argc > 1 ? argv[1] : "help";
  if (command == "help" || command == "--help" || command == "-h") {
    std::fputs(kUsage.data(), stdout);
    return 0;
  }
  std::string error;
  const auto flags = Flags::Parse(argc, argv, 2, error);
  if (!flags) {
    spdlog::error("{}", error);
    return 2;
  }
  // Logs go to stderr except for `serve`, so `replay` and `export` output stays clean.
  ConfigureLogs(*flags, command == "serve");
  int status = 2;
  if (command == "serve") {
    status = Serve(*flags);
  } else if (command == "token") {
    status = Token(*flags);
  } else if (command == "verify") {
    status = Verify(*flags);
  } else if (command == "replay") {
    status = Replay(*flags);
  } else if (command == "export") {
    status = Export(*flags);
  } else if (command == "import") {
    status = Import(*flags);
  } else if (command == "rebuild") {
    status = Rebuild(*flags);
  } else if (command == "demo") {
    status = Demo(*flags);
  } else {
    spdlog::error("unknown command '{}'; run `mentorlog help`", command);
  }
  spdlog::shutdown();  // flushes the background logger
  return status;
}
