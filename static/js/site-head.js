/* Runs before the page is drawn: marks that scripts work, so the phone menu can start folded
   (without scripts the menu simply stays open). */
document.documentElement.classList.add("js");
