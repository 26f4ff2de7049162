"""The public application form refuses control characters with a form error (issue 13)."""

from tests.core.test_hostile_input import CONTROL_ERROR, _post_with_control_character


def test_the_mtr_application_form_refuses_a_control_character(client, licence_area):
    client.cookies["django_language"] = "en"
    url = f"/mtr/apply/?action=licence&area={licence_area.code}"
    response = _post_with_control_character(
        client, url, "business_name", fill={"email": "info@valve.example.ee"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert CONTROL_ERROR in html
    assert "info@valve.example.ee" in html  # the rest of the form is kept
