// The attendance view from given events: exact figures, on-duty conversion,
// corrections, alert level, the below-threshold list (ordering, paging), read rules.

#include "tests/projections/projection_test_support.h"

namespace mentorlog::projections::testing {
namespace {

json Sheet(const std::string& course, const std::string& date, int period,
           std::vector<std::pair<std::string, std::string>> entries) {
  json e = json::array();
  for (auto& [s, status] : entries) e.push_back({{"student_id", s}, {"status", status}});
  return {{"course_id", course}, {"date", date}, {"period", period}, {"entries", e}};
}

class AttendanceProjectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Seed(log_);
    log_.Add(
        "AttendanceRecorded",
        Sheet("C-1", "2026-11-02", 1, {{"S-1", "present"}, {"S-2", "absent"}, {"S-3", "on_duty"}}));
    log_.Add(
        "AttendanceRecorded",
        Sheet("C-1", "2026-11-02", 2, {{"S-1", "absent"}, {"S-2", "absent"}, {"S-3", "present"}}));
    log_.Add("AttendanceRecorded",
             Sheet("C-2", "2026-11-03", 1, {{"S-1", "leave"}, {"S-2", "present"}}));
    log_.Add("LeaveRequested", {{"leave_id", "L-1"},
                                {"student_id", "S-2"},
                                {"kind", "on_duty"},
                                {"from_date", "2026-11-02"},
                                {"to_date", "2026-11-02"},
                                {"reason", "hackathon"}});
    log_.Add("LeaveApproved",
             {{"leave_id", "L-1"},
              {"student_id", "S-2"},
              {"kind", "on_duty"},
              {"from_date", "2026-11-02"},
              {"to_date", "2026-11-02"}},
             {"M-1", "mentor"});
    log_.Add("AttendanceCorrected", {{"course_id", "C-1"},
                                     {"date", "2026-11-02"},
                                     {"period", 2},
                                     {"student_id", "S-1"},
                                     {"status", "present"},
                                     {"previous_status", "absent"},
                                     {"reason", "late entry"}});
    log_.Add("AttendanceRecorded", Sheet("C-3", "2026-11-04", 1, {{"S-3", "absent"}}));
    log_.Add("AttendanceRecorded", Sheet("C-3", "2026-11-04", 2, {{"S-3", "absent"}}));
  }
  LogBuilder log_;
};

TEST_F(AttendanceProjectionTest, PerStudentFiguresAreExactWithCoursesInOrder) {
  auto p = Fold("attendance", log_);
  EXPECT_EQ(Ok(*p, Read("attendance", kAdmin, "S-1")), json::parse(R"({
    "student_id": "S-1", "held": 3, "present": 2, "absent": 0, "on_duty": 0, "leave": 1,
    "attended": 2, "percentage": 66.66, "alert_level": null,
    "courses": [
      {"course_id": "C-1", "held": 2, "present": 2, "absent": 0, "on_duty": 0, "leave": 0,
       "attended": 2, "percentage": 100.0},
      {"course_id": "C-2", "held": 1, "present": 0, "absent": 0, "on_duty": 0, "leave": 1,
       "attended": 0, "percentage": 0.0}]})"));
}

TEST_F(AttendanceProjectionTest, ApprovedOnDutyTurnsAbsencesOnItsDatesIntoOnDuty) {
  auto p = Fold("attendance", log_);
  const json s2 = Ok(*p, Read("attendance", kAdmin, "S-2"));
  EXPECT_EQ(s2["absent"], 0);
  EXPECT_EQ(s2["on_duty"], 2);
  EXPECT_EQ(s2["percentage"], 100.0);
  EXPECT_EQ(s2["courses"][0]["on_duty"], 2);
}

// The list reads totals kept up to date event by event; the single view sums
// them afresh. Absences before and after an approved on-duty, on and off its
// dates, must give both the same figures.
TEST_F(AttendanceProjectionTest, ListTotalsKeptPerEventEqualTheSummedFigures) {
  log_.Add("LeaveApproved",
           {{"leave_id", "L-2"},
            {"student_id", "S-3"},
            {"kind", "on_duty"},
            {"from_date", "2026-11-04"},
            {"to_date", "2026-11-04"}},
           {"M-2", "mentor"});
  log_.Add("AttendanceRecorded", Sheet("C-3", "2026-11-04", 3, {{"S-3", "absent"}}));
  log_.Add("AttendanceRecorded", Sheet("C-3", "2026-11-05", 1, {{"S-3", "absent"}}));
  auto p = Fold("attendance", log_);
  const json one = Ok(*p, Read("attendance", kAdmin, "S-3"));
  EXPECT_EQ(one["held"], 6);
  EXPECT_EQ(one["on_duty"], 4);  // one recorded, three absences on the approved date
  EXPECT_EQ(one["absent"], 1);
  EXPECT_EQ(one["attended"], 5);
  const json list = Ok(*p, Read("attendance", kAdmin, {}, {{"threshold", "100"}}));
  const auto row = std::ranges::find(list["items"], json("S-3"),
                                     [](const json& item) { return item["student_id"]; });
  ASSERT_NE(row, list["items"].end());
  EXPECT_EQ((*row)["held"], one["held"]);
  EXPECT_EQ((*row)["attended"], one["attended"]);
  EXPECT_EQ((*row)["percentage"], one["percentage"]);
}

TEST_F(AttendanceProjectionTest, BelowThresholdListIsLowestFirstAndPaged) {
  auto p = Fold("attendance", log_);
  const json all = Ok(*p, Read("attendance", kAdmin, {}, {{"threshold", "75"}}));
  ASSERT_EQ(all["items"].size(), 2u);
  EXPECT_EQ(all["items"][0], json::parse(R"({"student_id": "S-3", "name": "Meera Iyer",
    "roll_number": "21CS003", "mentor_id": "M-2", "held": 4, "attended": 2, "percentage": 50.0,
    "alert_level": null})"));
  EXPECT_EQ(all["items"][1]["student_id"], "S-1");
  EXPECT_EQ(all["total"], 2);
  EXPECT_EQ(all["next_offset"], nullptr);

  const json first = Ok(*p, Read("attendance", kAdmin, {}, {{"threshold", "75"}, {"limit", "1"}}));
  EXPECT_EQ(first["items"].size(), 1u);
  EXPECT_EQ(first["items"][0]["student_id"], "S-3");
  EXPECT_EQ(first["next_offset"], 1);
  const json second = Ok(
      *p, Read("attendance", kAdmin, {}, {{"threshold", "75"}, {"limit", "1"}, {"offset", "1"}}));
  EXPECT_EQ(second["items"][0]["student_id"], "S-1");
  EXPECT_EQ(second["next_offset"], nullptr);

  // 66.66 is below 66.67 but not below 66.66.
  EXPECT_EQ(Ok(*p, Read("attendance", kAdmin, {}, {{"threshold", "66.67"}}))["total"], 2);
  EXPECT_EQ(Ok(*p, Read("attendance", kAdmin, {}, {{"threshold", "66.66"}}))["total"], 1);
  EXPECT_EQ(Err(*p, Read("attendance", kAdmin, {}, {{"threshold", "x"}})), "invalid_argument");
  EXPECT_EQ(Err(*p, Read("attendance", kAdmin, {}, {{"limit", "0"}})), "invalid_argument");
  EXPECT_EQ(Err(*p, Read("attendance", kAdmin, {}, {{"limit", "1001"}})), "invalid_argument");
}

TEST_F(AttendanceProjectionTest, AlertLevelAppearsAfterTenClasses) {
  for (int period = 1; period <= 8; ++period) {
    log_.Add("AttendanceRecorded",
             Sheet("C-9", "2026-11-05", period, {{"S-1", period <= 3 ? "present" : "absent"}}));
  }
  auto p = Fold("attendance", log_);
  const json s1 = Ok(*p, Read("attendance", kAdmin, "S-1"));
  EXPECT_EQ(s1["held"], 11);
  EXPECT_EQ(s1["attended"], 5);
  EXPECT_EQ(s1["percentage"], 45.45);
  EXPECT_EQ(s1["alert_level"], 50);
}

TEST_F(AttendanceProjectionTest, ReadRules) {
  auto p = Fold("attendance", log_);
  const events::Actor m1{"M-1", "mentor"}, s1{"S-1", "mentee"};
  EXPECT_EQ(Ok(*p, Read("attendance", s1, "S-1"))["student_id"], "S-1");
  EXPECT_EQ(Err(*p, Read("attendance", s1, "S-2")), "forbidden");
  EXPECT_EQ(Err(*p, Read("attendance", s1)), "forbidden");
  EXPECT_EQ(Ok(*p, Read("attendance", m1, "S-2"))["student_id"], "S-2");
  EXPECT_EQ(Err(*p, Read("attendance", m1, "S-3")), "forbidden");
  const json mine = Ok(*p, Read("attendance", m1, {}, {{"threshold", "75"}}));
  ASSERT_EQ(mine["items"].size(), 1u);
  EXPECT_EQ(mine["items"][0]["student_id"], "S-1");
  EXPECT_EQ(Err(*p, Read("attendance", m1, {}, {{"mentor", "M-2"}})), "forbidden");
  EXPECT_EQ(Ok(*p, Read("attendance", kAuditor, "S-3"))["percentage"], 50.0);
  EXPECT_EQ(Err(*p, Read("attendance", kAdmin, "S-404")), "not_found");
}

TEST_F(AttendanceProjectionTest, SaveRestoreGivesTheSameState) {
  auto p = Fold("attendance", log_);
  auto q = MakeProjection("attendance");
  ASSERT_TRUE(q->Restore(p->Save(), p->Position()));
  EXPECT_EQ(q->Save(), p->Save());
  auto r = MakeProjection("attendance");
  ASSERT_TRUE(r->RestoreBinary(p->SaveBinary(), p->Position()));
  EXPECT_EQ(r->Save(), p->Save());
  EXPECT_FALSE(MakeProjection("attendance")->RestoreBinary("\x05garbage", 1));
  EXPECT_EQ(Ok(*q, Read("attendance", kAdmin, {}, {{"threshold", "75"}})),
            Ok(*p, Read("attendance", kAdmin, {}, {{"threshold", "75"}})));
}

}  // namespace
}  // namespace mentorlog::projections::testing
