#include "http/openapi.h"

#include <nlohmann/json.hpp>

#include "commands/command_spec.h"

namespace mentorlog::http {
namespace {

using commands::FieldKind;
using commands::FieldSpec;
using nlohmann::json;

json Schema(const FieldSpec& f);

json ObjectSchema(const std::vector<FieldSpec>& fields) {
  json properties = json::object();
  json required = json::array();
  for (const auto& f : fields) {
    properties[f.name] = Schema(f);
    if (f.required) required.push_back(f.name);
  }
  json schema = {{"type", "object"}, {"properties", properties}, {"additionalProperties", false}};
  if (!required.empty()) schema["required"] = required;
  return schema;
}

json Schema(const FieldSpec& f) {
  const auto list = [&](json items) {
    json s = {{"type", "array"}, {"items", std::move(items)}};
    if (f.min > 0) s["minItems"] = f.min;
    s["maxItems"] = f.max > 0 ? f.max : commands::kMaxArrayEntries;
    if (f.unique && f.kind == FieldKind::kIdList) s["uniqueItems"] = true;
    return s;
  };
  const json id = {{"type", "string"}, {"pattern", std::string(commands::kIdPattern)}};
  switch (f.kind) {
    case FieldKind::kId:
      return id;
    case FieldKind::kString:
      return {{"type", "string"},
              {"minLength", std::max<std::int64_t>(f.min, 0)},
              {"maxLength", f.max > 0 ? f.max : commands::kMaxStringBytes}};
    case FieldKind::kBool:
      return {{"type", "boolean"}};
    case FieldKind::kInteger:
      return {{"type", "integer"}, {"minimum", f.min}, {"maximum", f.max}};
    case FieldKind::kTime:
      return {{"type", "string"}, {"format", "date-time"}};
    case FieldKind::kDate:
      return {{"type", "string"}, {"format", "date"}};
    case FieldKind::kEnum:
      return {{"type", "string"}, {"enum", f.values}};
    case FieldKind::kIdList:
      return list(id);
    case FieldKind::kStringList:
      return list({{"type", "string"}, {"minLength", 1}, {"maxLength", commands::kMaxStringBytes}});
    case FieldKind::kObject: {
      json s = ObjectSchema(f.fields);
      if (f.fields.empty()) s.erase("additionalProperties");
      if (f.min > 0) s["minProperties"] = f.min;
      return s;
    }
    case FieldKind::kObjectList:
      return list(ObjectSchema(f.fields));
  }
  return json::object();
}

json ErrorRef(const char* description) {
  return {
      {"description", description},
      {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

json Get(const char* summary, json parameters = json::array()) {
  return {{"get",
           {{"summary", summary},
            {"parameters", std::move(parameters)},
            {"responses",
             {{"200", {{"description", "OK"}}},
              {"401", ErrorRef("unauthenticated")},
              {"403", ErrorRef("forbidden")}}}}}};
}

json Query(const char* name, const char* type, const char* description) {
  return {{"name", name},
          {"in", "query"},
          {"required", false},
          {"description", description},
          {"schema", {{"type", type}}}};
}

json PathParam(const char* name) {
  return {{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}};
}

std::string Build() {
  json paths = json::object();
  json schemas = {{"Error",
                   {{"type", "object"},
                    {"required", {"error"}},
                    {"properties",
                     {{"error",
                       {{"type", "object"},
                        {"required", {"code", "message"}},
                        {"properties",
                         {{"code", {{"type", "string"}}},
                          {"message", {{"type", "string"}}},
                          {"field", {{"type", "string"}}}}}}}}}}},
                  {"CommandResult",
                   {{"type", "object"},
                    {"properties",
                     {{"command_id", {{"type", "string"}}},
                      {"position", {{"type", "integer"}}},
                      {"events", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}}}};
  for (const auto& spec : commands::CommandSpecs()) {
    schemas[spec.name] = ObjectSchema(spec.fields);
    paths["/v1/commands/" + spec.name] = {
        {"post",
         {{"summary", spec.name + " (appends " + nlohmann::json(spec.events).dump() + "; roles " +
                          nlohmann::json(spec.roles).dump() + ")"},
          {"parameters",
           {{{"name", "Idempotency-Key"}, {"in", "header"}, {"schema", {{"type", "string"}}}},
            {{"name", "If-Match"}, {"in", "header"}, {"schema", {{"type", "string"}}}}}},
          {"requestBody",
           {{"required", true},
            {"content",
             {{"application/json",
               {{"schema", {{"$ref", "#/components/schemas/" + spec.name}}}}}}}}},
          {"responses",
           {{"200",
             {{"description", "appended"},
              {"content",
               {{"application/json",
                 {{"schema", {{"$ref", "#/components/schemas/CommandResult"}}}}}}}}},
            {"400", ErrorRef("invalid_json or invalid_argument")},
            {"401", ErrorRef("unauthenticated")},
            {"403", ErrorRef("forbidden")},
            {"404", ErrorRef("not_found")},
            {"409", ErrorRef("conflict, double_booking, invalid_state, version_mismatch, "
                             "idempotency_mismatch")},
            {"413", ErrorRef("payload_too_large")},
            {"415", ErrorRef("unsupported_media_type")},
            {"503", ErrorRef("unavailable")}}}}}};
  }
  const json view_params = {Query("min_position", "integer", "wait until the view has applied N"),
                            Query("wait_ms", "integer", "how long to wait (default 2000)"),
                            Query("as_of", "string", "RFC 3339 time or position (admin, auditor)")};
  json view_params_with_view = view_params;
  view_params_with_view.push_back(PathParam("view"));
  json view_params_with_key = view_params_with_view;
  view_params_with_key.push_back(PathParam("key"));
  paths["/v1/views/{view}"] = Get("a list view", view_params_with_view);
  paths["/v1/views/{view}/{key}"] = Get("one entry of a view", view_params_with_key);
  paths["/v1/events"] =
      Get("the log in position order (admin, auditor)",
          {Query("after", "integer", "position to start after"),
           Query("limit", "integer", "1-1000"), Query("stream", "string", "one stream"),
           Query("type", "string", "one event type"), Query("actor", "string", "one actor id"),
           Query("from_time", "string", "RFC 3339"), Query("to_time", "string", "RFC 3339")});
  paths["/v1/streams/{stream}"] =
      Get("one stream", {PathParam("stream"), Query("from_version", "integer", "first version")});
  paths["/v1/audit/head"] = Get("the chain head: position, hash, time (admin, auditor)");
  paths["/v1/admin/projections"] = Get("projection positions, lag and state");
  paths["/v1/admin/projections/{name}/rebuild"] = {
      {"post",
       {{"summary", "rebuild a projection while the old copy serves (admin)"},
        {"parameters", {PathParam("name")}},
        {"responses",
         {{"202", {{"description", "rebuild started"}}}, {"404", ErrorRef("not_found")}}}}}};
  paths["/v1/ws"] = Get("WebSocket: subscribe to events or watch a view (upgrade)");
  paths["/healthz"] = Get("process up");
  paths["/readyz"] = Get("projections caught up with the log");
  paths["/metrics"] = Get("Prometheus text format");
  const json doc = {
      {"openapi", "3.0.3"},
      {"info", {{"title", "mentorlog"}, {"version", "1"}}},
      {"components",
       {{"schemas", schemas},
        {"securitySchemes",
         {{"bearer", {{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT"}}}}}}},
      {"security", {{{"bearer", json::array()}}}},
      {"paths", paths}};
  return doc.dump();
}

}  // namespace

const std::string& OpenApiDocument() {
  static const std::string document = Build();
  return document;
}

}  // namespace mentorlog::http
