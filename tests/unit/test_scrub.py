"""The capture's scrubber: known values, shapes and table rows are replaced; labels are kept."""

from __future__ import annotations

from automation.scrub import Scrubber


def scrubber() -> Scrubber:
    return Scrubber.for_account("anna.admin@vaxtexport.se", secrets=["Anna-Admin-2025!"])


def test_shapes_and_known_values_become_placeholders_and_labels_stay() -> None:
    text = scrubber().text("Logga in som anna.admin@vaxtexport.se (Anna Andersson), lösenord Anna-Admin-2025!, "
                           "Grönt Export AB 556677-8899, Hamngatan 1, 252 25 Helsingborg, +46 42 100 00 00, "
                           "/cas/login?ticket=ST-1-abc&service=x TGT-9-xyz")
    assert text == ("Logga in som <EMAIL> (<NAME>), lösenord <SECRET>, <ORG_NAME> <ORG_NUMBER>, <ADDRESS>, "
                    "<POSTAL_CODE> Helsingborg, <PHONE>, /cas/login?ticket=<VALUE>&service=<VALUE> <TICKET>")


def test_table_rows_lose_their_data_but_keep_headers_and_repeated_labels() -> None:
    snapshot = "\n".join([
        "- table:",
        "  - row \"Namn Visa\":",
        "    - columnheader \"Namn\"",
        "  - row \"Erik Eriksson Visa\":",
        "    - cell \"Erik Eriksson\"",
        "    - link \"Visa\"",
        "  - row \"Frida Fors Visa\":",
        "    - cell \"Frida Fors\"",
        "    - link \"Visa\"",
        "- 'heading \"Användare: Erik Eriksson\" [level=1]'",
        "- textbox \"E-post\": anything typed",
    ])
    scrubbed = scrubber().aria_snapshot(snapshot)
    assert "Erik" not in scrubbed and "Frida" not in scrubbed
    assert scrubbed.count('link "Visa"') == 2 and 'columnheader "Namn"' in scrubbed
    assert "- 'heading \"Användare: <VALUE>\" [level=1]'" in scrubbed
    assert 'textbox "E-post": <VALUE>' in scrubbed
