"""Who may upload: Streamlit's OIDC login when configured, else an admin password, else only on demo data."""
from __future__ import annotations

import hmac

import streamlit as st


def _secret(key: str):
    try:
        return st.secrets.get(key)
    except Exception:  # no secrets.toml at all
        return None


def authorised(is_demo: bool) -> bool:
    """Draw what the visitor needs to identify, and say whether uploading is allowed now."""
    if _secret("auth"):
        if st.user.get("is_logged_in", False):
            allowed = _secret("import_users")
            if allowed and st.user.get("email") not in allowed:
                st.error(f"{st.user.get('email')} har inte behörighet att läsa in filer.")
                return False
            st.caption(f"Inloggad som {st.user.get('email') or st.user.get('name')}.")
            st.button("Logga ut", on_click=st.logout)
            return True
        st.info("Logga in för att läsa in filer.")
        st.button("Logga in", on_click=st.login, type="primary")
        return False
    password = _secret("admin_password")
    if password:
        if st.session_state.get("import_authorised"):
            return True
        given = st.text_input("Administratörslösenord", type="password", key="import_password")
        if given and hmac.compare_digest(given.encode(), str(password).encode()):
            st.session_state["import_authorised"] = True
            return True
        if given:
            st.error("Fel lösenord.")
        return False
    if is_demo:
        st.caption("Demoläge: uppladdning är öppen eftersom databasen bara innehåller fiktiva demodata.")
        return True
    st.error("Uppladdning kräver inloggning. Konfigurera [auth] (OIDC) eller admin_password i "
             ".streamlit/secrets.toml, se docs/IMPORT.md.")
    return False
