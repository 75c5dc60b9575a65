// The sign-in form posts to POST /account/signin (username, password, returnUrl); the server answers with the
// cookie and a redirect, or back here with ?error=1. The server fills in returnUrl and the error message, so the form
// works without this script; the script only says whether this server signs people in at all.
fetch("/api/me", { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(async (response) => {
  const note = document.getElementById("signin-note");
  const who = document.getElementById("who");
  if (response.status === 404) {
    note.textContent = "This server does not sign people in (authentication is not part of it): the pages work without signing in.";
    note.hidden = false;
    who.textContent = "No sign-in on this server";
  } else if (response.ok) {
    const me = await response.json();
    note.textContent = me.development
      ? "This server runs in development mode: nobody needs to sign in."
      : `You are signed in as ${me.name}. Signing in again switches user.`;
    note.hidden = false;
  }
}).catch(() => {});
