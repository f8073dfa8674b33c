"""Who may import: Streamlit's OIDC login when configured, else an admin password; on open demo data only a preview."""
from __future__ import annotations

import enum
import hmac

import streamlit as st


class Access(enum.Enum):
    NONE = "none"        # nothing: log in or configure access first
    PREVIEW = "preview"  # check and preview uploads; never accept or rebuild (open demo)
    FULL = "full"        # check, accept and rebuild


def _secret(key: str):
    try:
        return st.secrets.get(key)
    except Exception:  # no secrets.toml at all
        return None


def access(is_demo: bool) -> Access:
    """Draw what the visitor needs to identify, and say what importing is allowed now."""
    if _secret("auth"):
        if st.user.get("is_logged_in", False):
            allowed = _secret("import_users")
            if allowed and st.user.get("email") not in allowed:
                st.error("Kontot har inte behörighet att läsa in filer.")
                st.text(str(st.user.get("email")))
                return Access.NONE
            st.text(f"Inloggad som {st.user.get('email') or st.user.get('name')}.")
            st.button("Logga ut", on_click=st.logout)
            return Access.FULL
        st.info("Logga in för att läsa in filer.")
        st.button("Logga in", on_click=st.login, type="primary")
        return Access.NONE
    password = _secret("admin_password")
    if password:
        if st.session_state.get("import_authorised"):
            return Access.FULL
        given = st.text_input("Administratörslösenord", type="password", key="import_password")
        if given and hmac.compare_digest(given.encode(), str(password).encode()):
            st.session_state["import_authorised"] = True
            return Access.FULL
        if given:
            st.error("Fel lösenord.")
        return Access.NONE
    if is_demo:
        st.info("Demoläge: du kan ladda upp filer och se vad som skulle läsas in och avvisas, men inget sparas "
                "och databasen byggs inte om. För att läsa in filer: ange inloggning (avsnittet [auth], OIDC) "
                "eller admin_password i .streamlit/secrets.toml på servern, se docs/IMPORT.md.")
        return Access.PREVIEW
    st.error("Uppladdning kräver inloggning. Konfigurera [auth] (OIDC) eller admin_password i "
             ".streamlit/secrets.toml, se docs/IMPORT.md.")
    return Access.NONE
