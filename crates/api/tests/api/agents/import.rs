//! Bulk import of agent profiles from CSV: all or nothing, every wrong cell reported with
//! its line and column, a dry run that changes nothing, and admins only.

use super::*;

async fn import(app: &TestApp, token: &str, csv: &str, dry_run: bool) -> Reply {
    app.post(
        "/api/agents/import",
        token,
        json!({"csv": csv, "dry_run": dry_run}),
    )
    .await
}

#[actix_web::test]
async fn a_file_is_checked_whole_then_applied_whole() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let team = app
        .post("/api/teams", &admin, json!({"name": "Billing CZ"}))
        .await;
    let team = team.body["id"].as_str().unwrap().to_owned();
    let skill = app
        .post("/api/skills", &admin, json!({"name": "Billing"}))
        .await;
    let skill = skill.body["id"].as_str().unwrap().to_owned();
    let (_, jana) = app.create_user(&admin, Role::Agent).await;
    let (petr_id, petr) = app.create_user(&admin, Role::Agent).await;
    let (_, analyst) = app.create_user(&admin, Role::Analyst).await;
    let (_, analyst_b) = app.create_user(&admin, Role::Supervisor).await;
    // Petr has a profile already: the import updates it.
    let r = app
        .post(
            "/api/agents",
            &admin,
            json!({"user_id": petr_id, "extension": "300"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);

    let good = format!(
        "\u{feff}email;name;team;skills;languages;extension\r\n\
         {jana};\"Nováková; Jana\";billing cz;Billing:7;cs|en-US;201\r\n\
         {petr};;Billing CZ;;es;300\r\n"
    );
    let bad = format!(
        "{good}{analyst};;Billing CZ;;;\r\nnobody@x.test;;;;;\r\n{jana};;Sales;Billing:11|Cooking:3;c3po;201\r\n{analyst_b};;;;;300\r\n"
    );
    let r = import(&app, &admin, &bad, false).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["applied"], false);
    let issues: Vec<(u64, String, String)> = r.body["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["row"].as_u64().unwrap(),
                i["column"].as_str().unwrap_or("").to_owned(),
                i["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want = [
        (4, "email", "wrong_role"),
        (5, "email", "unknown_user"),
        (6, "email", "duplicate"),
        (6, "team", "unknown_team"),
        (6, "skills", "range"),
        (6, "skills", "unknown_skill"),
        (6, "languages", "language_tag"),
        (7, "extension", "extension_taken"),
    ];
    let want: Vec<(u64, String, String)> = want
        .iter()
        .map(|(r, c, k)| (*r, (*c).to_owned(), (*k).to_owned()))
        .collect();
    assert_eq!(issues, want);
    // Nothing changed: Jana still has no profile.
    let list = app
        .get(&format!("/api/agents?team_id={team}"), &admin)
        .await;
    assert_eq!(list.body["total"], 0);

    // A dry run of the good file says what would change, and changes nothing.
    let r = import(&app, &admin, &good, true).await;
    assert_eq!(
        (r.body["created"].as_u64(), r.body["updated"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(r.body["applied"], false);
    assert_eq!(
        app.get(&format!("/api/agents?team_id={team}"), &admin)
            .await
            .body["total"],
        0
    );

    let r = import(&app, &admin, &good, false).await;
    assert_eq!(r.body["applied"], true, "{}", r.body);
    let list = app
        .get(&format!("/api/agents?team_id={team}"), &admin)
        .await;
    assert_eq!(list.body["total"], 2);
    let agents = list.body["items"].as_array().unwrap();
    let jana = agents.iter().find(|a| a["email"] == jana.as_str()).unwrap();
    assert_eq!(jana["display_name"], "Nováková; Jana");
    assert_eq!(jana["extension"], "201");
    assert_eq!(jana["languages"], json!(["cs", "en-US"]));
    assert_eq!(jana["skills"][0]["skill_id"], skill.as_str());
    assert_eq!(jana["skills"][0]["level"], 7);
    let petr = agents.iter().find(|a| a["email"] == petr.as_str()).unwrap();
    assert_eq!(petr["languages"], json!(["es"]));
    assert_eq!(petr["extension"], "300");
}

#[actix_web::test]
async fn a_broken_file_names_what_is_wrong_and_only_admins_import() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let r = import(&app, &admin, "mail,team\na@x.test,x", false).await;
    let codes: Vec<&str> = r.body["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["unknown_column", "required"]);
    let r = import(&app, &admin, "email\n\"a@x.test\nb", false).await;
    assert_eq!(r.body["issues"][0]["code"], "quotes");
    assert_eq!(r.body["issues"][0]["row"], 2);
    let r = import(&app, &admin, "email,name\na@x.test", false).await;
    assert_eq!(r.body["issues"][0]["code"], "columns");
    for role in [Role::Supervisor, Role::Agent, Role::Analyst] {
        let token = app.token_for(&admin, role).await;
        assert_eq!(import(&app, &token, "email\n", true).await.status, 403);
    }
}
