"""The fresh evaluation set (evaluation-fresh.json): phrasings and names written after the training corpus
and the development set, never used to tune anything. Run once: python3 generate_fresh.py <dir>, then
npx prettier --write. Its phrasings are not variants of the other files' (checked below: no text repeats)."""
import json, random, sys
sys.path.insert(0, __file__.rsplit('/', 1)[0])
import importlib.util
spec = importlib.util.spec_from_file_location('gen', __file__.rsplit('/', 1)[0] + '/generate.py')

# Seed people by names the other files never use (surnames, full names), and people not in the seed.
FRESH_NAMES = ['Diego Siciliani','Allan Deyoung','Brian Johnson','Megan Carter','Alex Darrow','Enrico Cattaneo','Zoë Ångström',
  'Jürgen Böhm','Isaiah Langer','Irvin Sayers','Lidia Holloway','Johanna Lorenz','Pradeep Gupta','Nestor Wilke','Keiko Tanaka',
  'Wanjiru','Dmitri','Beatriz','Hamish','Nkechi','Oskar','Leilani','Ravi Shankar','Marguerite','Thandiwe','Bartholomew','Xiu Mei',
  'Declan','Anneke','Farida','Guðrún','Mbali Dlamini']
STATUS_MSGS = ['Covering reception until 4','Parental leave, back Monday','Deep work, no calls','At the Leeds office']

FRESH = {
 'myDelegates': ['so who exactly is taking my calls','who did i hand my phone over to','whos allowed on my line these days',
   'anyone set up to answer for me?','who gets my calls if i dont pick up','list everyone who covers me','remind me who my deputies are',
   'who do i have as backup','which colleagues answer for me','the people covering for me, who are they','who can pick up on my behalf',
   'my assistant list','WHO ANSWERS FOR ME','do i have someone covering my phone'],
 'myDelegators': ['who am i answering the phone for','whose line am i covering','which execs am i assigned to','who relies on me for calls',
   'whose calls land on my phone','who made me their assistant','list the bosses i support','which people do i take calls on behalf of',
   'am i covering for anyone','WHOSE DELEGATE AM I','who am i the assistant of','for which people do i pick up'],
 'whoCanTakeMyCall': ['who is free to field a call for me now','can anybody grab my phone right now','i need my calls covered now, who can',
   'is there anyone who can answer my calls at the moment','who could pick up for me this minute','who can jump on my calls now',
   'anyone free for my calls??','WHO CAN ANSWER FOR ME NOW','which of my people can take a call right now','who is around to cover my phone now'],
 'presence': ['is {n} free for a call','how busy is {n} right now','has {n} finished her meeting','is {n} at work today','{n} in?',
   'could i ring {n} now or is she busy','quick check on {n}','is {n} on the phone','is {n} still busy','what about {n}, free?',
   'whats {n} doing at the moment','is {n} free at all','tell me if {n} is around','is {n} offline','{n} - available?','presence of {n}',
   'can {n} talk now','is {n} in or out today'],
 'groupPresence_D': ['are my deputies around','is my backup free right now','are my assistants in meetings','is anyone on my delegate list free',
   'are my people online','IS MY ASSISTANT BUSY','are my delegates reachable'],
 'groupPresence_X': ['is my boss busy right now','is my executive in','are my execs free','is the exec i support available',
   'are my bosses online','IS MY EXEC AROUND','is my manager free to talk'],
 'call_n': ['ring {n} up please','i need {n} on the phone','call {n} right away','phone up {n}','can we call {n}','dial up {n}',
   'get {n} on teams','make me a call with {n}','{n}, call her','start calling {n}','video {n}','teams call {n}','RING {n}','please phone {n}'],
 'call_D': ['ring up my backup','call my deputy','phone whoever covers me','dial my assistant now','video call my backup please'],
 'call_X': ['ring up my boss','call my executive now','phone the boss','dial my exec please','video call my executive'],
 'meet_n': ['meet with {n} right now','can we start a meeting with {n}','quick call meeting with {n}','open a teams meeting with {n}',
   'i want a meeting now with {n}','spin up a meeting w {n}','instant meeting with {n}','MEETING WITH {n} NOW'],
 'meet_nm': ['meet now with {n} and {m} please','start a meeting with {n}, {m}','instant meeting with {n} & {m}',
   'get {n} and {m} into a quick meeting','meeting w {n} + {m}'],
 'meet_D': ['start a meeting with all my assistants','meet my deputies now','quick meeting with my backups please','meeting with my delegates asap'],
 'meet_X': ['start a meeting with my boss','meet now with my executives please','quick meeting with the exec'],
 'perm_n': ['what is {n} allowed to do on my behalf','can {n} answer my phone','which rights did i give {n}','how much access does {n} have',
   'what can i do as {n}s delegate','am i allowed to call for {n}','can i take calls for {n}','what permissions did {n} give me',
   'is {n} able to make calls as me','permissions {n}?'],
 'perm_D': ['what are my deputies allowed to do','which permissions did i give my delegates','can my backup place calls for me',
   'what can my assistants do on my behalf'],
 'perm_X': ['what am i allowed to do for my boss','can i make calls for my executive','which rights do i have for my exec',
   'what permissions do i have as a delegate'],
 'setStatus': ['put me in dnd for 30 minutes','im stepping away for 10 mins','set me to busy','make me show as away','im free again',
   'mark me as do not disturb','i am back','go offline','set me to available for 2 hours','busy for an hour please','im going to be away for 45 minutes',
   'SET ME TO DND'],
 'setStatus_msg': ['set my status to {s}','change my status message to {s}','update my status to {s}'],
 'clearStatus': ['clear my status now','remove my status please','reset my status message','get rid of my status',
   'CLEAR MY STATUS MESSAGE','delete status','wipe my status message','reset my presence please'],
 'help': ['what are you for','what can you help me with','how do i talk to you','give me the list of commands','what do i say',
   'HELP ME PLEASE','what can i ask','hi what can you do'],
 'None': ['what is the wifi password','book me a taxi','remind me to buy bread','how do i reset my laptop','whats for lunch',
   'tell me about the quarterly numbers','can you translate hola','open outlook','is it going to rain','who invented the telephone',
   'schedule a dentist appointment','thanks but no','send my timesheet','play jazz','what is the meaning of life','bleh'],
 'notify_n': ['give me a heads up when {n} is free','tell me the second {n} is available','let me know whenever {n} is back',
   'shout when {n} is off the phone','ping me once {n} finishes her meeting','notify me as soon as {n} gets out of her meeting',
   'message me when {n} frees up','let me know if {n} is free within the next 2 hours','tell me when {n} is available or tell me if not',
   'keep an eye on {n} and let me know when she is free','ping me when {n} is free for the next 30 minutes','alert me once {n} returns',
   'text me as soon as {n} is available','LET ME KNOW WHEN {n} IS FREE','update me when {n} is no longer busy','tell me once {n} comes back'],
 'notify_D': ['let me know once my deputy is free','ping me when my backup is back','notify me as soon as my assistant is available',
   'tell me when my delegate is off the phone'],
 'notify_X': ['let me know when my executive is back','ping me the moment my boss is free','tell me when my exec is available or tell me if not',
   'notify me once the boss is out of the meeting'],
 'listWatches': ['who are you watching','what alerts are set','am i waiting for anyone','what notifications do i have','show the watch list',
   'who will you tell me about','list my alerts','which watches do i have'],
 'cancelWatch': ['stop all alerts','cancel every watch','turn the notifications off','i dont want any more alerts','stop pinging me please',
   'remove my watches','kill the alerts'],
 'cancelWatch_n': ['stop watching {n}','cancel the watch on {n}','stop notifying me about {n} please','remove the alert for {n}',
   'stop pinging me about {n}'],
}

gen = importlib.util.module_from_spec(spec)
sys.argv_saved = sys.argv
sys.argv = [sys.argv[0], '/tmp']  # generate.py writes its own files when run: send them nowhere that matters
spec.loader.exec_module(gen)
sys.argv = sys.argv_saved

rnd = random.Random(3)
fresh = gen.build(FRESH, FRESH_NAMES, STATUS_MSGS, rnd, {'presence':2,'call_n':2,'meet_n':2,'meet_nm':2,'perm_n':2,'notify_n':2,'cancelWatch_n':1})
seen = set(); out = []
known = {t['text'].lower() for t in json.load(open(__file__.rsplit('/', 1)[0] + '/training.json'))}
known |= {t['text'].lower() for t in json.load(open(__file__.rsplit('/', 1)[0] + '/evaluation.json'))}
for f in fresh:
    k = f['text'].lower()
    if k in seen or k in known: continue
    seen.add(k); out.append({'text': f['text'], 'command': f['command']})
json.dump(out, open(sys.argv[1] + '/evaluation-fresh.json', 'w'), ensure_ascii=False, indent=0)
from collections import Counter
print(len(out), Counter(e['command']['intent'] for e in out))
