#include "commands/command_spec.h"

#include <functional>
#include <limits>
#include <optional>
#include <set>
#include <type_traits>
#include <utility>

#include "commands/command.h"
#include "events/time.h"

// The spec tables and the generic decoder. Each command (and nested object) has one
// Schema: a list of Members pairing a FieldSpec (the data that CommandSpecs exposes)
// with a reader that fills the struct member from already validated JSON. Decoding
// is therefore: validate against the FieldSpecs, then run the readers.
namespace mentorlog::commands {
namespace {

using Json = nlohmann::json;

// --- FieldSpec builders ---------------------------------------------------------

FieldSpec Id(std::string name) { return {.name = std::move(name), .kind = FieldKind::kId}; }

FieldSpec Text(std::string name, std::int64_t max_bytes = kMaxStringBytes) {
  return {.name = std::move(name), .kind = FieldKind::kString, .min = 1, .max = max_bytes};
}

FieldSpec Bool(std::string name) { return {.name = std::move(name), .kind = FieldKind::kBool}; }

FieldSpec Int(std::string name, std::int64_t min, std::int64_t max) {
  return {.name = std::move(name), .kind = FieldKind::kInteger, .min = min, .max = max};
}

FieldSpec Time(std::string name) { return {.name = std::move(name), .kind = FieldKind::kTime}; }

FieldSpec Date(std::string name) { return {.name = std::move(name), .kind = FieldKind::kDate}; }

template <class E>
FieldSpec Enum(std::string name) {
  FieldSpec f{.name = std::move(name), .kind = FieldKind::kEnum};
  for (std::string_view v : EnumNames<E>::kNames) f.values.emplace_back(v);
  return f;
}

FieldSpec Ids(std::string name, std::int64_t min_entries) {
  return {.name = std::move(name),
          .kind = FieldKind::kIdList,
          .min = min_entries,
          .max = kMaxArrayEntries,
          .unique = true};
}

FieldSpec Texts(std::string name, std::int64_t min_entries) {
  return {.name = std::move(name),
          .kind = FieldKind::kStringList,
          .min = min_entries,
          .max = kMaxArrayEntries};
}

// An object whose members come from the nested struct's schema (filled in by Bind).
FieldSpec Object(std::string name, std::int64_t min_members = 0) {
  return {.name = std::move(name), .kind = FieldKind::kObject, .min = min_members};
}

FieldSpec Objects(std::string name, std::int64_t min_entries) {
  return {.name = std::move(name),
          .kind = FieldKind::kObjectList,
          .min = min_entries,
          .max = kMaxArrayEntries,
          .unique = true};
}

FieldSpec Optional(FieldSpec f) {
  f.required = false;
  return f;
}

// --- Schemas: FieldSpecs bound to struct members ----------------------------------

template <class S>
struct Member {
  FieldSpec spec;
  std::function<void(S&, const Json&)> read;  // `json` already validated against spec
};

template <class S>
struct Schema {
  std::vector<Member<S>> members;
  std::vector<FieldOrder> orders = {};
  std::vector<std::string> events = {};
  std::vector<std::string> roles = {};
};

// The schema of struct S; specialised once per command and nested struct below.
template <class S>
const Schema<S>& SchemaOf();

// Nested structs (decoded through their own schema).
template <class T>
inline constexpr bool kIsRecord = false;
template <>
inline constexpr bool kIsRecord<Guardian> = true;
template <>
inline constexpr bool kIsRecord<AttendanceEntry> = true;
template <>
inline constexpr bool kIsRecord<ProfileChanges> = true;
template <>
inline constexpr bool kIsRecord<Attachment> = true;
template <>
inline constexpr bool kIsRecord<Milestone> = true;
template <>
inline constexpr bool kIsRecord<Slot> = true;

// The nested struct inside T (T, optional<T> or vector<T>), or void.
template <class T>
struct RecordOf {
  using type = std::conditional_t<kIsRecord<T>, T, void>;
};
template <class T>
struct RecordOf<std::optional<T>> : RecordOf<T> {};
template <class T>
struct RecordOf<std::vector<T>> : RecordOf<T> {};

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

// Readers, one per member type. Each assumes `j` passed validation.
void Read(const Json& j, FieldKind kind, std::string& out);
void Read(const Json& j, FieldKind kind, bool& out);
void Read(const Json& j, FieldKind kind, std::int64_t& out);
void Read(const Json& j, FieldKind kind, events::Days& out);
template <class E>
requires std::is_enum_v<E>
void Read(const Json& j, FieldKind kind, E& out);
template <class T>
requires kIsRecord<T>
void Read(const Json& j, FieldKind kind, T& out);
template <class T>
void Read(const Json& j, FieldKind kind, std::vector<T>& out);
template <class T>
void Read(const Json& j, FieldKind kind, std::optional<T>& out);

template <class S>
void ReadRecord(const Json& j, S& out) {
  for (const Member<S>& m : SchemaOf<S>().members) {
    const auto it = j.find(m.spec.name);
    if (it != j.end() && !it->is_null()) m.read(out, *it);
  }
}

void Read(const Json& j, FieldKind, std::string& out) { out = j.get<std::string>(); }
void Read(const Json& j, FieldKind, bool& out) { out = j.get<bool>(); }
void Read(const Json& j, FieldKind kind, std::int64_t& out) {
  out = kind == FieldKind::kTime ? *events::ParseTime(j.get_ref<const std::string&>())
                                 : j.get<std::int64_t>();
}
void Read(const Json& j, FieldKind, events::Days& out) {
  out = *events::ParseDate(j.get_ref<const std::string&>());
}
template <class E>
requires std::is_enum_v<E>
void Read(const Json& j, FieldKind, E& out) {
  out = *FromString<E>(j.get_ref<const std::string&>());
}
template <class T>
requires kIsRecord<T>
void Read(const Json& j, FieldKind, T& out) { ReadRecord(j, out); }
template <class T>
void Read(const Json& j, FieldKind kind, std::vector<T>& out) {
  out.clear();
  out.reserve(j.size());
  for (const Json& e : j) Read(e, kind, out.emplace_back());
}
template <class T>
void Read(const Json& j, FieldKind kind, std::optional<T>& out) {
  Read(j, kind, out.emplace());
}

// Binds `spec` to `member`; an optional<> member makes the field optional, and a
// nested struct contributes its members as the spec's `fields`.
template <class S, class T>
Member<S> Bind(T S::*member, FieldSpec spec) {
  if constexpr (IsOptional<T>::value) spec.required = false;
  using R = typename RecordOf<T>::type;
  if constexpr (!std::is_void_v<R>) {
    for (const Member<R>& m : SchemaOf<R>().members) spec.fields.push_back(m.spec);
  }
  const FieldKind kind = spec.kind;
  return {std::move(spec), [member, kind](S& s, const Json& j) { Read(j, kind, s.*member); }};
}

const FieldOrder kMeetingTimes{.earlier = "start", .later = "end", .max_span = kMaxMeetingMs};

template <>
const Schema<Guardian>& SchemaOf<Guardian>() {
  static const Schema<Guardian> s{{
      Bind(&Guardian::name, Text("name")),
      Bind(&Guardian::phone, Text("phone", 64)),
  }};
  return s;
}

template <>
const Schema<AttendanceEntry>& SchemaOf<AttendanceEntry>() {
  static const Schema<AttendanceEntry> s{{
      Bind(&AttendanceEntry::student_id, Id("student_id")),
      Bind(&AttendanceEntry::status, Enum<AttendanceStatus>("status")),
  }};
  return s;
}

template <>
const Schema<ProfileChanges>& SchemaOf<ProfileChanges>() {
  static const Schema<ProfileChanges> s{{
      Bind(&ProfileChanges::roll_number, Text("roll_number", 64)),
      Bind(&ProfileChanges::name, Text("name")),
      Bind(&ProfileChanges::department, Text("department")),
      Bind(&ProfileChanges::year, Int("year", 1, 10)),
      Bind(&ProfileChanges::email, Text("email", 254)),
      Bind(&ProfileChanges::phone, Text("phone", 64)),
      Bind(&ProfileChanges::guardian, Object("guardian")),
  }};
  return s;
}

template <>
const Schema<RegisterMentor>& SchemaOf<RegisterMentor>() {
  static const Schema<RegisterMentor> s{
      {
          Bind(&RegisterMentor::mentor_id, Id("mentor_id")),
          Bind(&RegisterMentor::name, Text("name")),
          Bind(&RegisterMentor::department, Text("department")),
          Bind(&RegisterMentor::email, Text("email", 254)),
          Bind(&RegisterMentor::expertise, Optional(Texts("expertise", 0))),
          Bind(&RegisterMentor::max_mentees, Optional(Int("max_mentees", 1, 10'000))),
      },
      {},
      {"MentorRegistered"},
      {"admin"}};
  return s;
}

template <>
const Schema<EnrollStudent>& SchemaOf<EnrollStudent>() {
  static const Schema<EnrollStudent> s{
      {
          Bind(&EnrollStudent::student_id, Id("student_id")),
          Bind(&EnrollStudent::roll_number, Text("roll_number", 64)),
          Bind(&EnrollStudent::name, Text("name")),
          Bind(&EnrollStudent::department, Text("department")),
          Bind(&EnrollStudent::year, Int("year", 1, 10)),
          Bind(&EnrollStudent::email, Text("email", 254)),
          Bind(&EnrollStudent::phone, Text("phone", 64)),
          Bind(&EnrollStudent::guardian, Object("guardian")),
      },
      {},
      {"StudentEnrolled"},
      {"admin"}};
  return s;
}

template <>
const Schema<UpdateStudentProfile>& SchemaOf<UpdateStudentProfile>() {
  static const Schema<UpdateStudentProfile> s{
      {
          Bind(&UpdateStudentProfile::student_id, Id("student_id")),
          Bind(&UpdateStudentProfile::changes, Object("changes", 1)),
      },
      {},
      {"StudentProfileUpdated"},
      {"admin", "mentor", "mentee"}};
  return s;
}

template <>
const Schema<AssignMentor>& SchemaOf<AssignMentor>() {
  static const Schema<AssignMentor> s{{
                                          Bind(&AssignMentor::student_id, Id("student_id")),
                                          Bind(&AssignMentor::mentor_id, Id("mentor_id")),
                                      },
                                      {},
                                      {"MentorAssigned"},
                                      {"admin"}};
  return s;
}

template <>
const Schema<RequestMentorChange>& SchemaOf<RequestMentorChange>() {
  static const Schema<RequestMentorChange> s{
      {
          Bind(&RequestMentorChange::request_id, Id("request_id")),
          Bind(&RequestMentorChange::student_id, Id("student_id")),
          Bind(&RequestMentorChange::reason, Text("reason")),
          Bind(&RequestMentorChange::preferred_mentor_id, Id("preferred_mentor_id")),
      },
      {},
      {"MentorChangeRequested"},
      {"mentee"}};
  return s;
}

template <>
const Schema<DecideMentorChange>& SchemaOf<DecideMentorChange>() {
  static const Schema<DecideMentorChange> s{
      {
          Bind(&DecideMentorChange::request_id, Id("request_id")),
          Bind(&DecideMentorChange::approve, Bool("approve")),
          Bind(&DecideMentorChange::new_mentor_id, Id("new_mentor_id")),
          Bind(&DecideMentorChange::remark, Text("remark")),
      },
      {},
      {"MentorChangeApproved", "MentorAssigned", "MentorChangeRejected"},
      {"admin"}};
  return s;
}

template <>
const Schema<ScheduleMeeting>& SchemaOf<ScheduleMeeting>() {
  static const Schema<ScheduleMeeting> s{
      {
          Bind(&ScheduleMeeting::meeting_id, Id("meeting_id")),
          Bind(&ScheduleMeeting::mentor_id, Id("mentor_id")),
          Bind(&ScheduleMeeting::student_ids, Ids("student_ids", 1)),
          Bind(&ScheduleMeeting::title, Text("title")),
          Bind(&ScheduleMeeting::description, Text("description")),
          Bind(&ScheduleMeeting::mode, Enum<MeetingMode>("mode")),
          Bind(&ScheduleMeeting::location, Text("location")),
          Bind(&ScheduleMeeting::start, Time("start")),
          Bind(&ScheduleMeeting::end, Time("end")),
          Bind(&ScheduleMeeting::program_id, Id("program_id")),
      },
      {kMeetingTimes},
      {"MeetingScheduled"},
      {"admin", "mentor", "mentee"}};
  return s;
}

template <>
const Schema<AcceptMeeting>& SchemaOf<AcceptMeeting>() {
  static const Schema<AcceptMeeting> s{{Bind(&AcceptMeeting::meeting_id, Id("meeting_id"))},
                                       {},
                                       {"MeetingAccepted"},
                                       {"admin", "mentor", "mentee"}};
  return s;
}

template <>
const Schema<RescheduleMeeting>& SchemaOf<RescheduleMeeting>() {
  static const Schema<RescheduleMeeting> s{
      {
          Bind(&RescheduleMeeting::meeting_id, Id("meeting_id")),
          Bind(&RescheduleMeeting::start, Time("start")),
          Bind(&RescheduleMeeting::end, Time("end")),
          Bind(&RescheduleMeeting::reason, Text("reason")),
      },
      {kMeetingTimes},
      {"MeetingRescheduled"},
      {"admin", "mentor", "mentee"}};
  return s;
}

template <>
const Schema<DeclineMeeting>& SchemaOf<DeclineMeeting>() {
  static const Schema<DeclineMeeting> s{{
                                            Bind(&DeclineMeeting::meeting_id, Id("meeting_id")),
                                            Bind(&DeclineMeeting::reason, Text("reason")),
                                        },
                                        {},
                                        {"MeetingDeclined"},
                                        {"admin", "mentor", "mentee"}};
  return s;
}

template <>
const Schema<CancelMeeting>& SchemaOf<CancelMeeting>() {
  static const Schema<CancelMeeting> s{{
                                           Bind(&CancelMeeting::meeting_id, Id("meeting_id")),
                                           Bind(&CancelMeeting::reason, Text("reason")),
                                       },
                                       {},
                                       {"MeetingCancelled"},
                                       {"admin", "mentor"}};
  return s;
}

template <>
const Schema<AddAgendaItems>& SchemaOf<AddAgendaItems>() {
  static const Schema<AddAgendaItems> s{{
                                            Bind(&AddAgendaItems::meeting_id, Id("meeting_id")),
                                            Bind(&AddAgendaItems::items, Texts("items", 1)),
                                        },
                                        {},
                                        {"AgendaItemsAdded"},
                                        {"mentor", "mentee"}};
  return s;
}

template <>
const Schema<RecordObservation>& SchemaOf<RecordObservation>() {
  static const Schema<RecordObservation> s{
      {
          Bind(&RecordObservation::meeting_id, Id("meeting_id")),
          Bind(&RecordObservation::points_for_mentee, Text("points_for_mentee")),
          Bind(&RecordObservation::next_action_items, Texts("next_action_items", 0)),
          Bind(&RecordObservation::observations, Text("observations")),
          Bind(&RecordObservation::next_follow_up_date, Date("next_follow_up_date")),
          Bind(&RecordObservation::minutes, Text("minutes")),
          Bind(&RecordObservation::resources, Optional(Texts("resources", 0))),
      },
      {},
      {"ObservationRecorded"},
      {"mentor"}};
  return s;
}

template <>
const Schema<ValidateMeeting>& SchemaOf<ValidateMeeting>() {
  static const Schema<ValidateMeeting> s{
      {
          Bind(&ValidateMeeting::meeting_id, Id("meeting_id")),
          Bind(&ValidateMeeting::occurred, Bool("occurred")),
          Bind(&ValidateMeeting::note, Text("note")),
      },
      {},
      {"MeetingValidated", "MeetingConfirmed", "MeetingDisputed"},
      {"mentor", "mentee"}};
  return s;
}

template <>
const Schema<CompleteActionItem>& SchemaOf<CompleteActionItem>() {
  static const Schema<CompleteActionItem> s{
      {
          Bind(&CompleteActionItem::meeting_id, Id("meeting_id")),
          Bind(&CompleteActionItem::item, Int("item", 0, kMaxArrayEntries - 1)),
      },
      {},
      {"ActionItemCompleted"},
      {"mentee"}};
  return s;
}

template <>
const Schema<RecordAttendance>& SchemaOf<RecordAttendance>() {
  static const Schema<RecordAttendance> s{
      {
          Bind(&RecordAttendance::course_id, Id("course_id")),
          Bind(&RecordAttendance::date, Date("date")),
          Bind(&RecordAttendance::period, Int("period", 1, 24)),
          Bind(&RecordAttendance::entries, Objects("entries", 1)),
      },
      {},
      {"AttendanceRecorded"},
      {"admin", "mentor"}};
  return s;
}

template <>
const Schema<CorrectAttendance>& SchemaOf<CorrectAttendance>() {
  static const Schema<CorrectAttendance> s{
      {
          Bind(&CorrectAttendance::course_id, Id("course_id")),
          Bind(&CorrectAttendance::date, Date("date")),
          Bind(&CorrectAttendance::period, Int("period", 1, 24)),
          Bind(&CorrectAttendance::student_id, Id("student_id")),
          Bind(&CorrectAttendance::status, Enum<AttendanceStatus>("status")),
          Bind(&CorrectAttendance::reason, Text("reason")),
      },
      {},
      {"AttendanceCorrected"},
      {"admin", "mentor"}};
  return s;
}

template <>
const Schema<AcknowledgeAlert>& SchemaOf<AcknowledgeAlert>() {
  static const Schema<AcknowledgeAlert> s{
      {
          Bind(&AcknowledgeAlert::alert_id, Id("alert_id")),
          Bind(&AcknowledgeAlert::action, Enum<AlertAction>("action")),
          Bind(&AcknowledgeAlert::note, Text("note")),
      },
      {},
      {"AlertAcknowledged"},
      {"mentor"}};
  return s;
}

template <>
const Schema<RequestLeave>& SchemaOf<RequestLeave>() {
  static const Schema<RequestLeave> s{
      {
          Bind(&RequestLeave::leave_id, Id("leave_id")),
          Bind(&RequestLeave::student_id, Id("student_id")),
          Bind(&RequestLeave::kind, Enum<LeaveKind>("kind")),
          Bind(&RequestLeave::from_date, Date("from_date")),
          Bind(&RequestLeave::to_date, Date("to_date")),
          Bind(&RequestLeave::reason, Text("reason")),
      },
      {{.earlier = "from_date", .later = "to_date", .strict = false}},
      {"LeaveRequested"},
      {"mentee", "mentor"}};
  return s;
}

template <>
const Schema<ApproveLeave>& SchemaOf<ApproveLeave>() {
  static const Schema<ApproveLeave> s{{
                                          Bind(&ApproveLeave::leave_id, Id("leave_id")),
                                          Bind(&ApproveLeave::remark, Text("remark")),
                                      },
                                      {},
                                      {"LeaveApproved"},
                                      {"admin", "mentor"}};
  return s;
}

template <>
const Schema<RejectLeave>& SchemaOf<RejectLeave>() {
  static const Schema<RejectLeave> s{{
                                         Bind(&RejectLeave::leave_id, Id("leave_id")),
                                         Bind(&RejectLeave::remark, Text("remark")),
                                     },
                                     {},
                                     {"LeaveRejected"},
                                     {"admin", "mentor"}};
  return s;
}

template <>
const Schema<CancelLeave>& SchemaOf<CancelLeave>() {
  static const Schema<CancelLeave> s{
      {Bind(&CancelLeave::leave_id, Id("leave_id"))}, {}, {"LeaveCancelled"}, {"mentee"}};
  return s;
}

// --- 5. Academic record and counselling --------------------------------------------

template <>
const Schema<Attachment>& SchemaOf<Attachment>() {
  static const Schema<Attachment> s{{
      Bind(&Attachment::name, Text("name", 256)),
      Bind(&Attachment::uri, Text("uri", 2048)),
  }};
  return s;
}

template <>
const Schema<RecordExamResult>& SchemaOf<RecordExamResult>() {
  static const Schema<RecordExamResult> s{
      {
          Bind(&RecordExamResult::student_id, Id("student_id")),
          Bind(&RecordExamResult::exam, Text("exam", 256)),
          Bind(&RecordExamResult::subject, Text("subject", 256)),
          Bind(&RecordExamResult::marks, Int("marks", 0, 100'000)),
          Bind(&RecordExamResult::max_marks, Int("max_marks", 1, 100'000)),
          Bind(&RecordExamResult::term, Text("term", 64)),
      },
      {},
      {"ExamResultRecorded"},
      {"admin", "mentor"}};
  return s;
}

template <>
const Schema<RecordAchievement>& SchemaOf<RecordAchievement>() {
  static const Schema<RecordAchievement> s{
      {
          Bind(&RecordAchievement::student_id, Id("student_id")),
          Bind(&RecordAchievement::title, Text("title", 256)),
          Bind(&RecordAchievement::category, Text("category", 64)),
          Bind(&RecordAchievement::date, Date("date")),
          Bind(&RecordAchievement::description, Text("description")),
      },
      {},
      {"AchievementRecorded"},
      {"admin", "mentor"}};
  return s;
}

template <>
const Schema<RecordEnrollment>& SchemaOf<RecordEnrollment>() {
  static const Schema<RecordEnrollment> s{
      {
          Bind(&RecordEnrollment::student_id, Id("student_id")),
          Bind(&RecordEnrollment::term, Text("term", 64)),
          Bind(&RecordEnrollment::programme, Text("programme", 256)),
          Bind(&RecordEnrollment::courses, Texts("courses", 0)),
          Bind(&RecordEnrollment::status, Text("status", 64)),
      },
      {},
      {"EnrollmentRecorded"},
      {"admin"}};
  return s;
}

template <>
const Schema<CreateCounselling>& SchemaOf<CreateCounselling>() {
  static const Schema<CreateCounselling> s{
      {
          Bind(&CreateCounselling::counselling_id, Id("counselling_id")),
          Bind(&CreateCounselling::name, Text("name", 256)),
          Bind(&CreateCounselling::at, Time("at")),
          Bind(&CreateCounselling::notes, Text("notes")),
          Bind(&CreateCounselling::attachments, Optional(Objects("attachments", 0))),
          Bind(&CreateCounselling::student_ids, Ids("student_ids", 1)),
          Bind(&CreateCounselling::request_id, Id("request_id")),
      },
      {},
      {"CounsellingCreated"},
      {"mentor"}};
  return s;
}

template <>
const Schema<RecordCounsellingOutcome>& SchemaOf<RecordCounsellingOutcome>() {
  static const Schema<RecordCounsellingOutcome> s{
      {
          Bind(&RecordCounsellingOutcome::counselling_id, Id("counselling_id")),
          Bind(&RecordCounsellingOutcome::outcome, Text("outcome")),
          Bind(&RecordCounsellingOutcome::goals, Optional(Texts("goals", 0))),
      },
      {},
      {"CounsellingOutcomeRecorded"},
      {"mentor"}};
  return s;
}

template <>
const Schema<RequestCounselling>& SchemaOf<RequestCounselling>() {
  static const Schema<RequestCounselling> s{
      {
          Bind(&RequestCounselling::request_id, Id("request_id")),
          Bind(&RequestCounselling::student_id, Id("student_id")),
          Bind(&RequestCounselling::topic, Text("topic", 256)),
          Bind(&RequestCounselling::details, Text("details")),
      },
      {},
      {"CounsellingRequested"},
      {"mentee"}};
  return s;
}

// --- 6. Programmes, milestones and feedback ----------------------------------------

template <>
const Schema<Milestone>& SchemaOf<Milestone>() {
  static const Schema<Milestone> s{{
      Bind(&Milestone::milestone_id, Id("milestone_id")),
      Bind(&Milestone::title, Text("title", 256)),
  }};
  return s;
}

template <>
const Schema<CreateProgram>& SchemaOf<CreateProgram>() {
  static const Schema<CreateProgram> s{
      {
          Bind(&CreateProgram::program_id, Id("program_id")),
          Bind(&CreateProgram::name, Text("name", 256)),
          Bind(&CreateProgram::milestones, Objects("milestones", 1)),
          Bind(&CreateProgram::mentor_can_customise, Optional(Bool("mentor_can_customise"))),
      },
      {},
      {"ProgramCreated"},
      {"admin"}};
  return s;
}

template <>
const Schema<EnrollInProgram>& SchemaOf<EnrollInProgram>() {
  static const Schema<EnrollInProgram> s{{
                                             Bind(&EnrollInProgram::program_id, Id("program_id")),
                                             Bind(&EnrollInProgram::student_id, Id("student_id")),
                                         },
                                         {},
                                         {"ProgramEnrolled"},
                                         {"admin"}};
  return s;
}

template <>
const Schema<CustomiseMilestones>& SchemaOf<CustomiseMilestones>() {
  static const Schema<CustomiseMilestones> s{
      {
          Bind(&CustomiseMilestones::program_id, Id("program_id")),
          Bind(&CustomiseMilestones::student_id, Id("student_id")),
          Bind(&CustomiseMilestones::milestones, Objects("milestones", 1)),
      },
      {},
      {"MilestonesCustomised"},
      {"mentor"}};
  return s;
}

template <>
const Schema<CompleteMilestone>& SchemaOf<CompleteMilestone>() {
  static const Schema<CompleteMilestone> s{
      {
          Bind(&CompleteMilestone::program_id, Id("program_id")),
          Bind(&CompleteMilestone::student_id, Id("student_id")),
          Bind(&CompleteMilestone::milestone_id, Id("milestone_id")),
      },
      {},
      {"MilestoneCompleted"},
      {"mentor"}};
  return s;
}

template <>
const Schema<RateSkill>& SchemaOf<RateSkill>() {
  static const Schema<RateSkill> s{{
                                       Bind(&RateSkill::student_id, Id("student_id")),
                                       Bind(&RateSkill::skill, Text("skill", 128)),
                                       Bind(&RateSkill::rating, Int("rating", 1, 5)),
                                       Bind(&RateSkill::program_id, Id("program_id")),
                                   },
                                   {},
                                   {"SkillRated"},
                                   {"mentor"}};
  return s;
}

template <>
const Schema<GiveFeedback>& SchemaOf<GiveFeedback>() {
  static const Schema<GiveFeedback> s{{
                                          Bind(&GiveFeedback::student_id, Id("student_id")),
                                          Bind(&GiveFeedback::kind, Enum<FeedbackKind>("kind")),
                                          Bind(&GiveFeedback::text, Text("text")),
                                      },
                                      {},
                                      {"FeedbackGiven"},
                                      {"mentor"}};
  return s;
}

template <>
const Schema<NominateStakeholder>& SchemaOf<NominateStakeholder>() {
  static const Schema<NominateStakeholder> s{
      {
          Bind(&NominateStakeholder::program_id, Id("program_id")),
          Bind(&NominateStakeholder::student_id, Id("student_id")),
          Bind(&NominateStakeholder::name, Text("name", 256)),
          Bind(&NominateStakeholder::email, Text("email", 254)),
      },
      {},
      {"StakeholderNominated"},
      {"mentee"}};
  return s;
}

template <>
const Schema<SubmitSatisfaction>& SchemaOf<SubmitSatisfaction>() {
  static const Schema<SubmitSatisfaction> s{
      {
          Bind(&SubmitSatisfaction::program_id, Id("program_id")),
          Bind(&SubmitSatisfaction::rating, Int("rating", 1, 5)),
          Bind(&SubmitSatisfaction::comment, Text("comment")),
      },
      {},
      {"SatisfactionSubmitted"},
      {"mentor", "mentee"}};
  return s;
}

// --- 7. Timetables and 1:1 session booking -----------------------------------------

template <>
const Schema<Slot>& SchemaOf<Slot>() {
  static const Schema<Slot> s{{
      Bind(&Slot::start, Time("start")),
      Bind(&Slot::end, Time("end")),
  }};
  return s;
}

template <>
const Schema<DefineTimetable>& SchemaOf<DefineTimetable>() {
  static const Schema<DefineTimetable> s{
      {
          Bind(&DefineTimetable::timetable_id, Id("timetable_id")),
          Bind(&DefineTimetable::kind, Enum<TimetableKind>("kind")),
          Bind(&DefineTimetable::mentor_id, Id("mentor_id")),
          Bind(&DefineTimetable::slots, Objects("slots", 1)),
      },
      {},
      {"TimetableDefined"},
      {"admin", "mentor"}};
  return s;
}

template <>
const Schema<BookSlot>& SchemaOf<BookSlot>() {
  static const Schema<BookSlot> s{
      {
          Bind(&BookSlot::timetable_id, Id("timetable_id")),
          Bind(&BookSlot::slot_start, Time("slot_start")),
          Bind(&BookSlot::session_number, Int("session_number", 1, 1'000'000'000)),
          Bind(&BookSlot::team_or_student, Id("team_or_student")),
          Bind(&BookSlot::description, Text("description")),
      },
      {},
      {"SlotBooked"},
      {"admin"}};
  return s;
}

template <>
const Schema<ReleaseSlot>& SchemaOf<ReleaseSlot>() {
  static const Schema<ReleaseSlot> s{{
                                         Bind(&ReleaseSlot::timetable_id, Id("timetable_id")),
                                         Bind(&ReleaseSlot::slot_start, Time("slot_start")),
                                         Bind(&ReleaseSlot::reason, Text("reason")),
                                     },
                                     {},
                                     {"SlotReleased"},
                                     {"admin"}};
  return s;
}

template <>
const Schema<RequestMentorship>& SchemaOf<RequestMentorship>() {
  static const Schema<RequestMentorship> s{
      {
          Bind(&RequestMentorship::request_id, Id("request_id")),
          Bind(&RequestMentorship::team_or_student, Id("team_or_student")),
          Bind(&RequestMentorship::topic, Text("topic", 256)),
          Bind(&RequestMentorship::details, Text("details")),
      },
      {},
      {"MentorshipRequested"},
      {"mentee"}};
  return s;
}

template <>
const Schema<AssignMentorshipRequest>& SchemaOf<AssignMentorshipRequest>() {
  static const Schema<AssignMentorshipRequest> s{
      {
          Bind(&AssignMentorshipRequest::request_id, Id("request_id")),
          Bind(&AssignMentorshipRequest::mentor_id, Id("mentor_id")),
          Bind(&AssignMentorshipRequest::timetable_id, Id("timetable_id")),
          Bind(&AssignMentorshipRequest::slot_start, Time("slot_start")),
          Bind(&AssignMentorshipRequest::session_number, Int("session_number", 1, 1'000'000'000)),
      },
      {},
      {"MentorshipRequestAssigned", "SlotBooked"},
      {"admin"}};
  return s;
}

// --- Validation -----------------------------------------------------------------

Rejection Bad(std::string field, std::string message) {
  return {ErrorCode::kInvalidArgument, std::move(message), std::move(field)};
}

std::string Join(const std::string& prefix, std::string_view name) {
  return prefix.empty() ? std::string(name) : prefix + "." + std::string(name);
}

std::string Index(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

bool IsIdChar(char c, bool first) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return !first && (c == '.' || c == '_' || c == ':' || c == '-');
}

bool IsId(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!IsIdChar(s[i], i == 0)) return false;
  }
  return true;
}

std::optional<Rejection> CheckObject(const Json& j, const std::vector<FieldSpec>& fields,
                                     const std::string& path, std::int64_t min_members);

std::optional<Rejection> CheckString(const Json& v, std::int64_t min, std::int64_t max,
                                     const std::string& path) {
  if (!v.is_string()) return Bad(path, "must be a string");
  const auto size = static_cast<std::int64_t>(v.get_ref<const std::string&>().size());
  if (size < min) return Bad(path, "must not be empty");
  if (size > max) return Bad(path, "must be at most " + std::to_string(max) + " bytes");
  return std::nullopt;
}

std::optional<Rejection> CheckId(const Json& v, const std::string& path) {
  if (!v.is_string()) return Bad(path, "must be a string");
  if (!IsId(v.get_ref<const std::string&>())) {
    return Bad(path, "must match " + std::string(kIdPattern));
  }
  return std::nullopt;
}

std::optional<Rejection> CheckList(const Json& v, const FieldSpec& f, const std::string& path) {
  if (!v.is_array()) return Bad(path, "must be an array");
  if (static_cast<std::int64_t>(v.size()) > f.max) {
    return Bad(path, "must have at most " + std::to_string(f.max) + " entries");
  }
  if (static_cast<std::int64_t>(v.size()) < f.min) {
    return Bad(path, "must have at least " + std::to_string(f.min) + " entries");
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string at = Index(path, i);
    std::optional<Rejection> r;
    switch (f.kind) {
      case FieldKind::kIdList:
        r = CheckId(v[i], at);
        break;
      case FieldKind::kStringList:
        r = CheckString(v[i], 1, kMaxStringBytes, at);
        break;
      default:
        r = CheckObject(v[i], f.fields, at, 0);
        break;
    }
    if (r) return r;
    if (f.unique) {
      const bool is_object = f.kind == FieldKind::kObjectList;
      const Json& key = is_object ? v[i].at(f.fields.front().name) : v[i];
      if (!seen.insert(key.get<std::string>()).second) {
        return Bad(is_object ? Join(at, f.fields.front().name) : at, "duplicate entry");
      }
    }
  }
  return std::nullopt;
}

std::optional<Rejection> CheckValue(const Json& v, const FieldSpec& f, const std::string& path) {
  switch (f.kind) {
    case FieldKind::kId:
      return CheckId(v, path);
    case FieldKind::kString:
      return CheckString(v, f.min, f.max, path);
    case FieldKind::kBool:
      if (!v.is_boolean()) return Bad(path, "must be true or false");
      return std::nullopt;
    case FieldKind::kInteger: {
      if (!v.is_number_integer()) return Bad(path, "must be an integer");
      const std::string range =
          "must be between " + std::to_string(f.min) + " and " + std::to_string(f.max);
      if (v.is_number_unsigned() &&
          v.get<std::uint64_t>() >
              static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return Bad(path, range);
      }
      const auto n = v.get<std::int64_t>();
      if (n < f.min || n > f.max) return Bad(path, range);
      return std::nullopt;
    }
    case FieldKind::kTime:
      if (!v.is_string() || !events::ParseTime(v.get_ref<const std::string&>())) {
        return Bad(path, "must be an RFC 3339 date-time, e.g. 2026-11-23T08:00:00Z");
      }
      return std::nullopt;
    case FieldKind::kDate:
      if (!v.is_string() || !events::ParseDate(v.get_ref<const std::string&>())) {
        return Bad(path, "must be a date YYYY-MM-DD");
      }
      return std::nullopt;
    case FieldKind::kEnum: {
      std::string allowed;
      for (const std::string& value : f.values) {
        if (v.is_string() && v.get_ref<const std::string&>() == value) return std::nullopt;
        allowed += allowed.empty() ? value : ", " + value;
      }
      return Bad(path, "must be one of: " + allowed);
    }
    case FieldKind::kIdList:
    case FieldKind::kStringList:
    case FieldKind::kObjectList:
      return CheckList(v, f, path);
    case FieldKind::kObject:
      return CheckObject(v, f.fields, path, f.min);
  }
  return std::nullopt;
}

std::optional<Rejection> CheckObject(const Json& j, const std::vector<FieldSpec>& fields,
                                     const std::string& path, std::int64_t min_members) {
  if (!j.is_object()) {
    return Bad(path, path.empty() ? "the body must be a JSON object" : "must be an object");
  }
  for (const auto& [key, value] : j.items()) {
    bool known = false;
    for (const FieldSpec& f : fields) known = known || f.name == key;
    if (!known) return Bad(Join(path, key), "unknown field");
  }
  std::int64_t present = 0;
  for (const FieldSpec& f : fields) {
    const auto it = j.find(f.name);
    if (it == j.end() || it->is_null()) {
      if (f.required) return Bad(Join(path, f.name), "missing field");
      continue;
    }
    ++present;
    if (auto r = CheckValue(*it, f, Join(path, f.name))) return r;
  }
  if (present < min_members) {
    return Bad(path, "must have at least " + std::to_string(min_members) + " member");
  }
  return std::nullopt;
}

// Both fields are present and valid when this runs.
std::optional<Rejection> CheckOrder(const Json& body, const FieldOrder& order,
                                    const std::vector<FieldSpec>& fields) {
  const auto earlier = body.find(order.earlier);
  const auto later = body.find(order.later);
  if (earlier == body.end() || later == body.end() || earlier->is_null() || later->is_null()) {
    return std::nullopt;
  }
  bool is_time = false;
  for (const FieldSpec& f : fields)
    is_time = is_time || (f.name == order.later && f.kind == FieldKind::kTime);
  const auto value = [&](const Json& v) -> std::int64_t {
    const auto& s = v.get_ref<const std::string&>();
    return is_time ? *events::ParseTime(s) : *events::ParseDate(s);
  };
  const std::int64_t a = value(*earlier);
  const std::int64_t b = value(*later);
  if (order.strict ? b <= a : b < a) {
    return Bad(order.later,
               "must be " + std::string(order.strict ? "after " : "on or after ") + order.earlier);
  }
  if (order.max_span > 0 && b - a > order.max_span) {
    const std::string span = is_time ? std::to_string(order.max_span / 3'600'000) + " h"
                                     : std::to_string(order.max_span) + " days";
    return Bad(order.later, "must be at most " + span + " after " + order.earlier);
  }
  return std::nullopt;
}

// --- The table of commands ---------------------------------------------------------

using Decoder = Command (*)(const Json&);

struct Entry {
  CommandSpec spec;
  Decoder decode;
};

template <class C>
Command DecodeAs(const Json& body) {
  C command{};
  ReadRecord(body, command);
  return command;
}

template <class C>
Entry MakeEntry() {
  const Schema<C>& s = SchemaOf<C>();
  CommandSpec spec{std::string(C::kName), {}, s.orders, s.events, s.roles};
  for (const Member<C>& m : s.members) spec.fields.push_back(m.spec);
  return {std::move(spec), &DecodeAs<C>};
}

template <std::size_t... I>
std::vector<Entry> MakeEntries(std::index_sequence<I...>) {
  return {MakeEntry<std::variant_alternative_t<I, Command>>()...};
}

const std::vector<Entry>& Entries() {
  static const std::vector<Entry> entries =
      MakeEntries(std::make_index_sequence<std::variant_size_v<Command>>{});
  return entries;
}

const Entry* FindEntry(std::string_view name) {
  for (const Entry& e : Entries()) {
    if (e.spec.name == name) return &e;
  }
  return nullptr;
}

}  // namespace

const std::vector<CommandSpec>& CommandSpecs() {
  static const std::vector<CommandSpec> specs = [] {
    std::vector<CommandSpec> out;
    for (const Entry& e : Entries()) out.push_back(e.spec);
    return out;
  }();
  return specs;
}

const CommandSpec* FindCommandSpec(std::string_view name) {
  const Entry* e = FindEntry(name);
  return e == nullptr ? nullptr : &CommandSpecs()[static_cast<std::size_t>(e - Entries().data())];
}

std::string_view CommandName(const Command& command) {
  return std::visit([](const auto& c) { return std::remove_cvref_t<decltype(c)>::kName; }, command);
}

std::expected<Command, Rejection> DecodeCommand(std::string_view name, const Json& body) {
  const Entry* entry = FindEntry(name);
  if (entry == nullptr) {
    return std::unexpected(Rejection{ErrorCode::kUnknownCommand,
                                     "unknown command '" + std::string(name.substr(0, 64)) + "'",
                                     ""});
  }
  if (auto r = CheckObject(body, entry->spec.fields, "", 0)) return std::unexpected(*std::move(r));
  for (const FieldOrder& order : entry->spec.orders) {
    if (auto r = CheckOrder(body, order, entry->spec.fields)) return std::unexpected(*std::move(r));
  }
  return entry->decode(body);
}

}  // namespace mentorlog::commands
