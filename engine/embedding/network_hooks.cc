// Network hooks (issue 18): the public callbacks of switchboard/network_hooks.h over the
// engine's connection policy, connection reports and net log relay.
#include "engine/embedding/network_hooks.h"

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "net/net_log.h"
#include "net/request_headers.h"

namespace switchboard::embed {

namespace {

RequestKind ToRequestKind(PolicyTarget target) {
  switch (target) {
    case PolicyTarget::kConnection:
      return RequestKind::kConnection;
    case PolicyTarget::kDocument:
      return RequestKind::kDocument;
    case PolicyTarget::kScript:
      return RequestKind::kScript;
  }
  return RequestKind::kConnection;
}

ConnectionEvent::Kind ToEventKind(ConnectionReport::Kind kind) {
  switch (kind) {
    case ConnectionReport::Kind::kOpen:
      return ConnectionEvent::Kind::kOpen;
    case ConnectionReport::Kind::kClose:
      return ConnectionEvent::Kind::kClose;
    case ConnectionReport::Kind::kFailure:
      return ConnectionEvent::Kind::kFailure;
  }
  return ConnectionEvent::Kind::kClose;
}

switchboard::ConnectionPolicy EnginePolicy(embed::ConnectionPolicy policy) {
  return [policy = std::move(policy)](const PolicyQuery& query) {
    PolicyDecision decision =
        policy({ToRequestKind(query.target), query.url, query.document_origin, query.secure});
    PolicyVerdict verdict;
    if (!decision.allow) {
      verdict.refusal = std::move(decision.reason);
      return verdict;
    }
    verdict.headers.reserve(decision.headers.size());
    for (RequestHeader& header : decision.headers) {
      verdict.headers.push_back({std::move(header.name), std::move(header.value)});
    }
    return verdict;
  };
}

// "<ms>.<µs>", as the net log file writes "t".
std::string Milliseconds(std::chrono::steady_clock::duration elapsed) {
  const long long micros = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
  char text[32];
  std::snprintf(text, sizeof text, "%lld.%03lld", micros / 1000, micros % 1000);
  return text;
}

NetLogEntry ToEntry(const NetLogEvent& event, std::chrono::steady_clock::time_point start) {
  NetLogEntry entry;
  const bool load = event.source_kind == NetLogEvent::SourceKind::kLoad;
  entry.source = load ? NetLogEntry::Source::kLoad : NetLogEntry::Source::kConnection;
  entry.id = event.source;
  entry.type = event.type;
  const std::chrono::steady_clock::duration elapsed =
      event.time > start ? event.time - start : std::chrono::steady_clock::duration::zero();
  entry.time_ms =
      static_cast<double>(std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count()) /
      1000.0;
  entry.params_json = event.params.ToJson();
  entry.json = R"({"t":)" + Milliseconds(elapsed) + (load ? R"(,"load":)" : R"(,"connection":)") +
               std::to_string(event.source) + R"(,"type":)";
  AppendJsonString(entry.json, event.type);
  entry.json += R"(,"params":)" + entry.params_json + "}";
  return entry;
}

}  // namespace

std::string RequestHeaderError(const RequestHeader& header) {
  return ExtraHeaderError({header.name, header.value}).value_or("");
}

void ApplyNetworkHooks(const PageOptions& options, PageSettings& settings,
                       std::shared_ptr<NetLogRelay>& relay,
                       std::function<void(std::string_view)> report_error) {
  if (options.connection_policy)
    settings.connection_policy = EnginePolicy(options.connection_policy);
  if (options.connection_events) {
    settings.connection_reports = [handler = options.connection_events,
                                   report_error](const ConnectionReport& report) {
      ConnectionEvent event;
      event.kind = ToEventKind(report.kind);
      event.id = report.id;
      event.url = report.url;
      event.peer = report.peer;
      event.secure = report.secure;
      event.opened = report.opened;
      event.by_script = report.by_script;
      if (report.kind == ConnectionReport::Kind::kFailure) {
        event.stage = std::string(StageName(report.stage));
        event.reason = report.reason;
      }
      event.bytes_sent = report.bytes_sent;
      event.bytes_received = report.bytes_received;
      try {
        handler(event);
      } catch (const std::exception& error) {
        report_error(std::string("connection_events handler threw: ") + error.what());
      } catch (...) {
        report_error("connection_events handler threw");
      }
    };
  }
  if (options.net_log_handler) {
    if (!relay) {
      relay = NetLogRelay::Create(
          [handler = options.net_log_handler, report_error,
           start = std::chrono::steady_clock::now()](const NetLogEvent& event) {
            try {
              handler(ToEntry(event, start));
            } catch (const std::exception& error) {
              report_error(std::string("net_log_handler threw: ") + error.what());
            } catch (...) {
              report_error("net_log_handler threw");
            }
          },
          /*capture_contents=*/false);
    }
    settings.embedder_net_log_relay = relay;
  }
}

}  // namespace switchboard::embed
