#pragma once

#include <string>

namespace mentorlog::http {

// The OpenAPI 3 document of every route, with one JSON Schema per command
// generated from commands::CommandSpecs(), the tables the decoder validates
// against, so the document cannot drift from what the server accepts.
// Built once; thread-safe.
const std::string& OpenApiDocument();

}  // namespace mentorlog::http
