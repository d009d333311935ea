//! S22: The security features as users meet them, on SQLite and PostgreSQL: revealing a person with
//! a reason, near-relative filings flagging a household, the audit administrator's page,
//! export and chain check, and the administrators' user management.

mod common;

use common::*;
use jiuzhu_domain::Role;
use serde_json::json;

async fn household(app: &App) -> serde_json::Value {
    let r = app
        .json("POST", "/api/v1/households", household_json(3))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn revealing_a_person_needs_the_permission_and_a_reason_and_is_audited() {
    for app in spawn_apps() {
        let h = household(&app).await;
        let pid = h["members"][0]["person"]["id"].as_str().unwrap().to_owned();
        // Masked by default: the API never sends the full name or number.
        let p = app.get(&format!("/api/v1/persons/{pid}")).await.json();
        assert_eq!(p["name_masked"], "张*");
        assert!(p.get("name").is_none());
        assert!(p["id_number_masked"].as_str().unwrap().contains("********"));
        let uri = format!("/api/v1/persons/{pid}/reveal");
        let r = app.json("POST", &uri, json!({"reason": " "})).await;
        assert_eq!(r.status, 422);
        assert_eq!(r.json()["error"]["fields"][0]["field"], "reason");
        let r = app
            .json("POST", &uri, json!({"reason": "核对低保银行账户"}))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["name"], "张三");
        assert_eq!(r.json()["id_number"], id("410502", 1980, 1, 1, 7));
        // The page asks for the reason too.
        let page = app
            .form(&format!("/persons/{pid}/reveal"), &[("reason", "入户核查")])
            .await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains(&id("410502", 1980, 1, 1, 7)));
        // A village coordinator may not.
        app.login_as(Role::VillageCoordinator, "410502001001");
        let r = app.json("POST", &uri, json!({"reason": "想看"})).await;
        assert_eq!(r.status, 403);
        // The audit administrator finds both reveals with their reasons, and the refusal.
        app.login_as(Role::AuditAdmin, "4105");
        let log = app.get("/api/v1/audit?action=person.reveal").await.json();
        let reasons: Vec<&str> = log["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["reason"].as_str().unwrap())
            .collect();
        assert_eq!(reasons, ["入户核查", "核对低保银行账户"], "{}", app.t.label);
        let denied = app.get("/api/v1/audit?outcome=denied").await.json();
        assert!(
            denied["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["action"] == "access.denied"
                    && e["object_id"] == "/api/v1/persons/{id}/reveal"),
            "{denied}"
        );
    }
}

/// Issue 15 F3: the edit form is no way around the reveal control — it carries neither the
/// full name nor the phone, bank account or illness, and saving it keeps them.
#[tokio::test]
async fn the_edit_form_shows_no_personal_data_and_keeps_it_on_save() {
    for app in spawn_apps() {
        let h = household(&app).await;
        let pid = h["members"][0]["person"]["id"].as_str().unwrap().to_owned();
        let edit = json!({
            "name": "张三", "relation": "户主", "hukou_type": "城镇", "labour_capacity": "有劳动能力",
            "phone": "13912345678", "bank_name": "安阳农商银行", "bank_account": "6228480000000000411",
            "serious_illness": "尿毒症"
        });
        let r = app
            .json(
                "PUT",
                &format!("/api/v1/persons/{pid}"),
                json!({"version": 1, "person": edit}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        app.login_as(Role::VillageCoordinator, "410502001001");
        let page = app.get(&format!("/persons/{pid}/edit")).await;
        assert_eq!(page.status, 200, "{}", page.body);
        for secret in ["张三", "13912345678", "6228480000000000411", "尿毒症"] {
            assert!(
                !page.body.contains(secret),
                "{secret} shown on the edit form"
            );
        }
        assert!(page.body.contains("id=\"kept-fields\""));
        // Saving the form as it comes keeps every value it did not show.
        let version = page
            .body
            .split("name=\"version\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap()
            .to_owned();
        app.login_as(Role::TownshipCaseworker, "410502001");
        let r = app
            .form(
                &format!("/persons/{pid}/edit"),
                &[
                    ("version", version.as_str()),
                    ("relation", "户主"),
                    ("hukou_type", "城镇"),
                    ("labour_capacity", "有劳动能力"),
                    ("bank_name", "安阳农商银行"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let r = app
            .json(
                "POST",
                &format!("/api/v1/persons/{pid}/reveal"),
                json!({"reason": "核对修改结果"}),
            )
            .await;
        let full = r.json();
        assert_eq!(full["name"], "张三", "{full}");
        assert_eq!(full["phone"], "13912345678");
        assert_eq!(full["bank_account"], "6228480000000000411");
        assert_eq!(full["serious_illness"], "尿毒症");

        // F5: the audit administrator sees the edits masked like every other view.
        app.login_as(Role::AuditAdmin, "4105");
        for action in ["person.update", "household.create"] {
            let log = app.get(&format!("/api/v1/audit?action={action}")).await;
            assert_eq!(log.status, 200, "{}", log.body);
            for secret in [
                "张三",
                "13912345678",
                "6228480000000000411",
                "尿毒症",
                "解放路3号",
            ] {
                assert!(
                    !log.body.contains(secret),
                    "{action}: {secret} in {}",
                    log.body
                );
            }
        }
        let log = app.get("/api/v1/audit?action=household.create").await;
        assert!(log.body.contains("解放路3"), "{}", log.body);
    }
}

#[tokio::test]
async fn a_household_with_a_staff_members_near_relative_is_flagged_for_deciders() {
    for app in spawn_apps() {
        let h = household(&app).await;
        let hid = h["household"]["id"].as_str().unwrap().to_owned();
        // A township caseworker files the household's wife as their sister.
        app.login_as(Role::TownshipCaseworker, "410502001");
        let r = app
            .form(
                "/account/relatives",
                &[
                    ("name", "李四"),
                    ("id_number", "41050219820304"),
                    ("relation", "姐妹"),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "a bad ID number and relation are named");
        assert!(
            r.body.contains("data-field=\"id_number\"")
                && r.body.contains("data-field=\"relation\"")
        );
        let wife = id("410502", 1982, 3, 4, 8);
        let r = app
            .form(
                "/account/relatives",
                &[
                    ("name", "李四"),
                    ("id_number", &wife),
                    ("relation", "兄弟姐妹"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let mine = app.get("/account/relatives").await;
        assert!(mine.body.contains("410502********"), "shown masked");
        // The township approver sees the flag on the household file.
        app.login_as(Role::TownshipApprover, "410502001");
        let page = app.get(&format!("/households/{hid}")).await;
        assert!(page.body.contains("近亲属备案提示"), "{}", app.t.label);
        assert!(page.body.contains("测试乡镇经办人"));
        let api = app.get(&format!("/api/v1/households/{hid}")).await.json();
        assert_eq!(api["near_relative_flags"][0]["relation"], "兄弟姐妹");
        // A village coordinator does not see who filed.
        app.login_as(Role::VillageCoordinator, "410502001001");
        let page = app.get(&format!("/households/{hid}")).await;
        assert!(!page.body.contains("近亲属备案提示"));
        // Withdrawn: the flag goes, the filing stays on record.
        let session = app.login_as(Role::TownshipCaseworker, "410502001");
        let filing =
            jiuzhu_app::security::near_relatives::my_near_relatives(&app.state.ctx, &session.actor)
                .unwrap()
                .remove(0);
        let r = app
            .form(&format!("/account/relatives/{}/withdraw", filing.id), &[])
            .await;
        assert_eq!(r.status, 303);
        app.login_as(Role::TownshipApprover, "410502001");
        assert!(
            !app.get(&format!("/households/{hid}"))
                .await
                .body
                .contains("近亲属备案提示")
        );
    }
}

#[tokio::test]
async fn the_audit_administrator_filters_exports_and_verifies_the_log() {
    for app in spawn_apps() {
        let h = household(&app).await;
        let hid = h["household"]["id"].as_str().unwrap().to_owned();
        app.get(&format!("/households/{hid}")).await;
        app.login_as(Role::AuditAdmin, "4105");
        let page = app.get("/audit?action=household&region=410502").await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("household.create") && page.body.contains("household.view"));
        assert!(page.body.contains("县级民政"), "roles are shown in Chinese");
        assert!(!page.body.contains(">login<"), "filtered by action");
        let bad = app.get("/audit?from=yesterday").await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("from"));
        let x = app.get("/audit/export.xlsx?action=household").await;
        assert_eq!(x.status, 200);
        assert_eq!(
            x.headers["content-type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        let v = app.get("/audit/verify").await;
        assert_eq!(v.status, 200);
        assert!(v.body.contains("审计链完整"), "{}", v.body);
        let exports = app.get("/api/v1/audit?action=audit.export").await.json();
        assert_eq!(
            exports["items"].as_array().unwrap().len(),
            1,
            "the export is audited"
        );
        // The audit administrator cannot read the registry.
        assert_eq!(app.get(&format!("/households/{hid}")).await.status, 403);
    }
}

#[tokio::test]
async fn administrators_manage_accounts_and_a_disabled_account_is_signed_out() {
    for app in spawn_apps() {
        // A caseworker is signed in somewhere.
        let victim = app.login_as(Role::TownshipCaseworker, "410502001");
        app.login_as(Role::SystemAdmin, "4105");
        let victim_id = victim.actor.user_id.clone().unwrap();
        let r = app
            .form(&format!("/admin/users/{victim_id}/disable"), &[])
            .await;
        assert_eq!(r.status, 200);
        *app.session.lock().unwrap() = Some((victim.token.clone(), victim.csrf.clone()));
        assert_eq!(app.get("/api/v1/me").await.status, 401, "{}", app.t.label);
        // The security administrator may unlock but not create.
        app.login_as(Role::SecurityAdmin, "4105");
        let r = app
            .form(&format!("/admin/users/{victim_id}/unlock"), &[])
            .await;
        assert_eq!(r.status, 200);
        let r = app.form("/admin/users", &[("username", "x")]).await;
        assert_eq!(r.status, 403);
    }
}
