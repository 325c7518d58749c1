//! Erasing a verified resident's account (issue #14 point 3 with #17): the
//! verification goes, their vote stays cast without naming them (the same
//! document cannot vote again), their supports are withdrawn, and their
//! proposal stays unsigned or is removed, as they choose.

use plaza_api::have_a_say::Proposal;
use plaza_api::participation::accounts::{ErasedPosts, OwnErasure};
use serde_json::json;

use crate::common::{As, Fixture, PIN, error_code};

#[tokio::test]
async fn an_erased_resident_s_vote_stays_cast_and_their_proposal_follows_the_choice() {
    for posts in [ErasedPosts::Anonymise, ErasedPosts::Remove] {
        let fixture = Fixture::start().await;
        let admin = fixture.admin().await;
        let author = fixture
            .resident(&admin, "Autora_Luz", "60111111", "Centro")
            .await;
        let other = fixture
            .resident(&admin, "Otro_Vecino", "60222222", "Centro")
            .await;
        let consultation = fixture.consultation(&admin, |_| {}).await;
        assert_eq!(
            fixture.vote(&author, consultation.id, &[0]).await.status(),
            201
        );
        let proposal: Proposal = fixture
            .post(
                As::Citizen(&author),
                "/participation/proposals",
                &json!({"title": "Más luz en la plaza", "body": "Faltan faroles en la esquina norte."}),
            )
            .await
            .json()
            .await
            .expect("proposal");
        let theirs: Proposal = fixture
            .post(
                As::Citizen(&other),
                "/participation/proposals",
                &json!({"title": "Bancos a la sombra", "body": "En la plaza no hay dónde sentarse."}),
            )
            .await
            .json()
            .await
            .expect("other proposal");
        let support = format!("/participation/proposals/{}/supports", theirs.id);
        let supported: Proposal = fixture
            .post(As::Citizen(&author), &support, &json!({}))
            .await
            .json()
            .await
            .expect("supported");
        assert_eq!(supported.supports, 1);

        let erased = fixture
            .post(
                As::Citizen(&author),
                "/citizens/me/erasure",
                &OwnErasure {
                    pin: PIN.to_owned(),
                    posts,
                },
            )
            .await;
        assert_eq!(erased.status(), 200, "{posts:?}");

        let after: Proposal = fixture
            .get(
                As::Kiosk,
                &format!("/participation/proposals/{}", theirs.id),
            )
            .await
            .json()
            .await
            .expect("other proposal");
        assert_eq!(after.supports, 0, "the support is withdrawn");
        let own = fixture
            .get(
                As::Kiosk,
                &format!("/participation/proposals/{}", proposal.id),
            )
            .await;
        match posts {
            ErasedPosts::Anonymise => {
                let own: Proposal = own.json().await.expect("kept");
                assert_eq!(own.author, "");
                assert_eq!(own.body, "Faltan faroles en la esquina norte.");
            }
            ErasedPosts::Remove => assert_eq!(own.status(), 404),
        }

        // The same document on a new account: verified again, but it has voted.
        let again = fixture.sign_up("Autora_Nueva").await;
        let verified = fixture
            .verify(&admin, "Autora_Nueva", "60111111", "Centro")
            .await;
        assert_eq!(
            verified.status(),
            201,
            "the verification went with the account"
        );
        let twice = fixture.vote(&again, consultation.id, &[1]).await;
        assert_eq!(error_code(twice).await, "already_voted");
    }
}
