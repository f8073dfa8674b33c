"""A corpus of broken and hostile source files, each with the outcome the build must give.

Every case is (file name, bytes, expected): ("refuse", word in the reason) or ("rows", read, loaded),
where rows not loaded must be in `rejects`. The build runs with a registry holding C1 (0180) and C2.
"""
from __future__ import annotations

import codecs
import random

ACT = "centre_id,year,visits\n"
SR = "centre_id,year,statement_id,score,n_staff,comment\n"
CEN = "centre_id,name,kommun_code,mhv,bhv,open_preschool,social_services,opened,closed,lat,lon\n"
ITEMS = ["m1_1", "m1_2", "m1_3", "m1_4", "m2_1", "m2_2", "m2_3", "m2_4", "m3_1", "m3_2", "m3_3",
         "m4_1", "m4_2", "m4_3", "m4_4", "m5_1", "m5_2", "m5_3"]
SUR = "response_id,centre_id,year,gender,language," + ",".join(ITEMS) + "\n"
ANSWERS = ",".join(["4"] * len(ITEMS))


def survey_row(rid="r1", gender="kvinna", answers=ANSWERS, year="2023", centre="C1") -> str:
    return f"{rid},{centre},{year},{gender},svenska,{answers}\n"


def centre_row(cid="C7", name="Nya familjecentralen", kommun="0180", legs="1,1,1,1", opened="", closed="", lat="", lon=""):
    return f"{cid},{name},{kommun},{legs},{opened},{closed},{lat},{lon}\n"


def cases() -> list[tuple[str, bytes, tuple]]:
    rng = random.Random(7)
    u = lambda text: text.encode("utf-8")  # noqa: E731
    c = [
        # structure
        ("activity_truncated_row.csv", u(ACT + "C1,2023,5\nC1,2024\n"), ("rows", 2, 1)),
        ("activity_no_final_newline.csv", u(ACT + "C1,2023,5\nC1,2024,6"), ("rows", 2, 2)),
        ("activity_extra_fields.csv", u(ACT + "C1,2023,5,7\n"), ("rows", 1, 0)),
        ("activity_trailing_delimiter.csv", u(ACT + "C1,2023,5,\n"), ("rows", 1, 1)),
        ("activity_mixed_delimiters.csv", u("centre_id;year;visits\nC1,2023,5\nC1;2024;6\n"), ("rows", 2, 1)),
        ("activity_quote_left_open.csv", u(ACT + 'C1,"2023,5\nC1,2024,6\n'), ("refuse", "citattecken")),
        ("activity_quote_mid_field.csv", u(ACT + 'C1,20"23,5\nC1,2024,6\n'), ("refuse", "citattecken")),
        ("activity_header_repeated.csv", u(ACT + "C1,2023,5\n" + ACT + "C1,2024,6\n"), ("rows", 3, 2)),
        ("activity_blank_lines_only.csv", u(ACT + "\n\n\n"), ("rows", 0, 0)),
        ("activity_whitespace_line.csv", u(ACT + "C1,2023,5\n   \n"), ("rows", 2, 1)),
        ("activity_excel_empty_rows.csv", u(ACT + "C1,2023,5\n,,\n,,\n"), ("rows", 1, 1)),
        ("activity_crlf.csv", u((ACT + "C1,2023,5\nC1,2024,6\n").replace("\n", "\r\n")), ("rows", 2, 2)),
        ("activity_cr_only.csv", u((ACT + "C1,2023,5\nC1,2024,6\n").replace("\n", "\r")), ("refuse", "")),
        ("activity_header_only.csv", u(ACT), ("rows", 0, 0)),
        ("activity_empty.csv", b"", ("refuse", "tom")),
        ("activity_duplicate_header.csv", u("centre_id,year,year,visits\nC1,2023,2023,5\n"), ("refuse", "mer än en gång")),
        ("activity_missing_column.csv", u("centre_id,visits\nC1,5\n"), ("refuse", "year")),
        ("activity_messy_header.csv", u("  Centre_ID , YEAR ,Visits \nC1,2023,5\n"), ("rows", 1, 1)),
        ("activity_unknown_columns.csv", u("centre_id,year,visits,kommentar,x\nC1,2023,5,hej,1\n"), ("rows", 1, 1)),
        ("activity_1000_columns.csv", u("centre_id,year,visits," + ",".join(f"x{i}" for i in range(1000)) + "\n"
                                        + "C1,2023,5," + ",".join("1" for _ in range(1000)) + "\n"), ("rows", 1, 1)),
        ("activity_bom_mid_file.csv", u(ACT + "C1,2023,5\n\ufeffC1,2024,6\n"), ("rows", 2, 1)),
        # encodings
        ("centres_cp1252.csv", u(CEN).replace(b"", b"") + centre_row(name="Familjecentralen Åsa – Öst").encode("cp1252"), ("rows", 1, 1)),
        ("centres_latin1_bytes_in_utf8.csv", u(CEN) + centre_row(name="Gärdet").encode("utf-8") +
         centre_row(cid="C8", name="Bäck").encode("latin-1"), ("rows", 2, 2)),
        ("activity_utf16_bom.csv", codecs.BOM_UTF16_LE + (ACT.replace(",", "\t") + "C1\t2023\t5\n").encode("utf-16-le"), ("rows", 1, 1)),
        ("activity_utf16_no_bom.csv", (ACT + "C1,2023,5\n").encode("utf-16-le"), ("refuse", "binära")),
        ("activity_utf8_bom_semicolon.csv", codecs.BOM_UTF8 + u(ACT.replace(",", ";") + "C1;2023;5\n"), ("rows", 1, 1)),
        ("activity_binary_junk.csv", bytes(rng.randrange(256) for _ in range(4000)), ("refuse", "")),
        ("activity_nul_inside.csv", u(ACT + "C1,2023,5\n") + b"C1,20\x0024,6\n", ("refuse", "binära")),
        ("activity_undecodable.csv", u(ACT) + b"C1,2023,\x81\x8d\x8f\n", ("refuse", "teckenkodning")),
        # values
        ("activity_formula.csv", u(ACT + 'C1,2023,"=HYPERLINK(""http://x"",""y"")"\n'), ("rows", 1, 0)),
        ("centres_formula_name.csv", u(CEN + centre_row(name='"=HYPERLINK(""http://x"",""klicka"")"')), ("rows", 1, 1)),
        ("activity_negative.csv", u(ACT + "C1,2023,-5\n"), ("rows", 1, 0)),
        ("activity_decimal_count.csv", u(ACT + 'C1,2023,"12,5"\n'), ("rows", 1, 0)),
        ("activity_thousands_space.csv", u(ACT + "C1,2023,1 250\nC1,2024,1\u00a0250\n"), ("rows", 2, 2)),
        ("activity_nan_inf.csv", u(ACT + "C1,2023,NaN\nC1,2024,inf\n"), ("rows", 2, 0)),
        ("activity_excel_errors.csv", u(ACT + "C1,2023,#N/A\nC1,2024,#VALUE!\n"), ("rows", 2, 0)),
        ("activity_year_as_text.csv", u(ACT + "C1,tjugotjugotre,5\nC1,2023.0,5\n"), ("rows", 2, 1)),
        ("activity_year_out_of_range.csv", u(ACT + "C1,1999,5\nC1,2099,5\nC1,2023 ,5\n"), ("rows", 3, 1)),
        ("activity_duplicate_key.csv", u(ACT + "C1,2023,5\nC1,2023,6\n"), ("rows", 2, 1)),
        ("activity_unknown_centre.csv", u(ACT + "NOPE,2023,5\n C1 ,2024,5\n"), ("rows", 2, 1)),
        ("activity_nbsp_id.csv", u(ACT + "\u00a0C9,2023,5\n"), ("rows", 1, 0)),
        ("activity_bad_boolean.csv", u("centre_id,year,supervision\nC1,2023,kanske\nC1,2024,JA\n"), ("rows", 2, 1)),
        ("centres_excel_date_serial.csv", u(CEN + centre_row(opened="43831")), ("rows", 1, 0)),
        ("centres_swedish_dates.csv", u(CEN + centre_row(cid="C7", opened="5 jan 2020") + centre_row(cid="C8", opened="05.01.2020")
                                        + centre_row(cid="C9", opened="2020-01-05")), ("rows", 3, 1)),
        ("centres_closed_before_opened.csv", u(CEN + centre_row(opened="2020", closed="2018")), ("rows", 1, 0)),
        ("centres_kommun_codes.csv", u(CEN + centre_row(cid="C7", kommun="180") + centre_row(cid="C8", kommun="01800")
                                       + centre_row(cid="C9", kommun="0000")), ("rows", 3, 1)),
        ("centres_position.csv", u(CEN + centre_row(cid="C7", lat="abc", lon="18") + centre_row(cid="C8", lat="40", lon="18")
                                   + centre_row(cid="C9", lat='"59,33"', lon='"18,06"')), ("rows", 3, 1)),
        ("centres_booleans.csv", u(CEN + centre_row(cid="C7", legs="Ja,JA,x,") + centre_row(cid="C8", legs="yes,true,1,nej")
                                   + centre_row(cid="C9", legs="ja,kanske,1,1")), ("rows", 3, 2)),
        ("centres_missing_name.csv", u(CEN + centre_row(name="")), ("rows", 1, 0)),
        ("self_reflection_scores.csv", u(SR + "C1,2023,s01,7,5,\nC1,2023,s02,0,5,\nC1,2023,s03,-1,5,\nC1,2023,s04,\"4,5\",5,\n"),
         ("rows", 4, 1)),
        ("self_reflection_unknown_statement.csv", u(SR + "C1,2023,s99,4,5,\n"), ("rows", 1, 0)),
        ("self_reflection_huge_comment.csv", u(SR + "C1,2023,s01,4,5," + "x" * 3_000_000 + "\n"), ("rows", 1, 1)),
        ("self_reflection_too_huge.csv", u(SR + "C1,2023,s01,4,5," + "x" * 9_000_000 + "\nC1,2023,s02,4,5,\n"),
         ("rows", 2, 1)),
        ("self_reflection_multiline_comment.csv", u(SR + 'C1,2023,s01,4,5,"rad ett\nrad två, med ""citat"""\nC1,2023,s02,3,5,\n'),
         ("rows", 2, 2)),
        ("self_reflection_emoji_control.csv", u(SR + "C1,2023,s01,4,5,Bra 👍\x07\n"), ("rows", 1, 1)),
        ("parent_survey_answers.csv", u(SUR + survey_row("r1", answers=ANSWERS.replace("4", "4,0", 1).replace("4,0", '"4,0"', 1))
                                        + survey_row("r2", answers=ANSWERS.replace("4", "4.5", 1))
                                        + survey_row("r3", answers=ANSWERS.replace("4", "x", 1))
                                        + survey_row("r4", answers=ANSWERS.replace("4", "", 3))), ("rows", 4, 2)),
        ("parent_survey_gender.csv", u(SUR + survey_row("r1", gender="KVINNA") + survey_row("r2", gender="female")
                                       + survey_row("r3", gender="okänt")), ("rows", 3, 2)),
        ("parent_survey_missing_item.csv", u(SUR.replace(",m5_3", "") + survey_row(answers=",".join(["4"] * 17))), ("refuse", "m5_3")),
        ("parent_survey_many_rows.csv", u(SUR + "".join(survey_row(f"r{i}", answers=",".join(str(rng.randint(0, 5)) for _ in ITEMS))
                                                        for i in range(5000))), ("rows", 5000, 5000)),
        ("Activity_Upper.CSV", u(ACT + "C1,2023,5\n"), ("rows", 1, 1)),
        ("activity_tab_commas.csv", u("centre_id\tyear\tvisits\nC1\t2023\t1,5\n"), ("rows", 1, 0)),
        ("activity_quoted_semicolons.csv", u('centre_id;year;visits\n"C1";"2023";"5"\n"C;1";2024;5\n'), ("rows", 2, 1)),
    ]
    return c
